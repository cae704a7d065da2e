import Foundation
import Testing
import DepotTestSupport

/// depot and the official Python client share one cache, both ways.
@Suite("huggingface_hub interop", .serialized)
struct HuggingFaceInteropTests {
    let hub: FixtureHub

    init() throws {
        hub = try FixtureHub()
    }

    @Test("after depot pull, scan_cache_dir is clean and hf_hub_download finds the file offline")
    func pythonReadsDepotsCache() throws {
        let sandbox = try DepotSandbox(hub: hub)
        let pulled = try #require(try sandbox.json("pull", "tiny-sd1") as? [String: Any])
        let commit = try #require(pulled.string("commit"))
        let result = try sandbox.python("""
            import json, os
            from huggingface_hub import scan_cache_dir, hf_hub_download
            info = scan_cache_dir()
            repos = [{"id": r.repo_id, "revisions": sorted(rev.commit_hash for rev in r.revisions),
                      "files": sorted(f.file_name for rev in r.revisions for f in rev.files),
                      "refs": sorted(ref for rev in r.revisions for ref in rev.refs)} for r in info.repos]
            os.environ["HF_HUB_OFFLINE"] = "1"
            path = hf_hub_download("depot-fixtures/tiny-sd1", "unet/config.json", local_files_only=True)
            print(json.dumps({"warnings": [str(w) for w in info.warnings], "repos": repos,
                              "path": path, "content": open(path).read()}))
            """)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["warnings"] as? [String])?.isEmpty == true)
        let repos = try #require(json["repos"] as? [[String: Any]])
        let repo = try #require(repos.first)
        #expect(repo.string("id") == "depot-fixtures/tiny-sd1")
        #expect(repo["revisions"] as? [String] == [commit])
        #expect(repo["refs"] as? [String] == ["main"])
        #expect((repo["files"] as? [String])?.contains("diffusion_pytorch_model.safetensors") == true)
        let expected = try String(contentsOf: TestEnvironment.fixture("tiny-sd1/unet/config.json"), encoding: .utf8)
        #expect(json.string("content") == expected)
        #expect(json.string("path")?.contains("snapshots/\(commit)/unet/config.json") == true)
    }

    @Test("after snapshot_download into the same cache, depot pull transfers nothing and still verifies")
    func depotReusesPythonsDownloads() throws {
        let sandbox = try DepotSandbox(hub: hub)
        _ = try sandbox.python("""
            from huggingface_hub import snapshot_download
            snapshot_download("depot-fixtures/tiny-sd2")
            """)
        let pulled = try #require(try sandbox.json("pull", "depot-fixtures/tiny-sd2") as? [String: Any])
        #expect(pulled.int("bytes_transferred") == 0)
        #expect(pulled.int("bytes_reused") == PullCommandTests.totalSize(pulled))
        let files = try #require(pulled["files"] as? [[String: Any]])
        #expect(files.allSatisfy { $0.string("status") == "reused" })
        try sandbox.depot("verify", "depot-fixtures/tiny-sd2")
    }

    @Test("a reused blob that does not match its hash is downloaded again, not installed")
    func corruptForeignBlobIsReplaced() throws {
        let sandbox = try DepotSandbox(hub: hub)
        _ = try sandbox.python("""
            from huggingface_hub import snapshot_download
            snapshot_download("depot-fixtures/tiny-sd1")
            """)
        let blobs = sandbox.hubCache.appendingPathComponent("models--depot-fixtures--tiny-sd1/blobs")
        let lfsBlob = try #require(try FileManager.default.contentsOfDirectory(atPath: blobs.path).first { $0.count == 64 })
        let blobURL = blobs.appendingPathComponent(lfsBlob)
        var bytes = try Data(contentsOf: blobURL)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: blobURL)

        let pulled = try #require(try sandbox.json("pull", "tiny-sd1") as? [String: Any])
        let size = try #require(try FileManager.default.attributesOfItem(atPath: blobURL.path)[.size] as? Int)
        #expect(pulled.int("bytes_transferred") == size)
        try sandbox.depot("verify", "tiny-sd1")
    }
}
