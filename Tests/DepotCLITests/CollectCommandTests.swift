import Foundation
import Testing
import DepotTestSupport

@Suite("gc, show and smoke against olah", .serialized)
struct CollectCommandTests {
    let hub: FixtureHub

    init() throws {
        hub = try FixtureHub()
    }

    @Test("gc frees stray blobs and stale partials, spares installed versions and huggingface_hub's snapshots")
    func collectsOnlyGarbage() throws {
        let sandbox = try DepotSandbox(hub: hub)
        try sandbox.depot("pull", "tiny-sd1")
        _ = try sandbox.python("""
            from huggingface_hub import snapshot_download
            snapshot_download("depot-fixtures/tiny-sd2")
            """)
        let blobs = sandbox.hubCache.appendingPathComponent("models--depot-fixtures--tiny-sd1/blobs")
        let stray = blobs.appendingPathComponent(String(repeating: "ab", count: 32))
        try Data(repeating: 7, count: 1000).write(to: stray)
        let partial = blobs.appendingPathComponent(String(repeating: "cd", count: 32) + ".incomplete")
        try Data(repeating: 9, count: 500).write(to: partial)

        let orphan = sandbox.depotHome.appendingPathComponent("extracted/" + String(repeating: "ef", count: 32))
        try FileManager.default.createDirectory(at: orphan, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: orphan.appendingPathComponent("Unet.mlmodelc"))
        try Data("[]".utf8).write(to: URL(fileURLWithPath: orphan.path + ".json"))

        let report = try #require(try sandbox.json("gc") as? [String: Any])
        #expect(report.int("extractions_removed") == 1)
        #expect(!FileManager.default.fileExists(atPath: orphan.path))
        #expect(report.int("blobs_removed") == 1)
        #expect(report.int("partials_removed") == 1)
        #expect(report.int("bytes_freed") == 1500)
        #expect(!FileManager.default.fileExists(atPath: stray.path))
        #expect(!FileManager.default.fileExists(atPath: partial.path))
        try sandbox.depot("verify", "tiny-sd1")
        _ = try sandbox.python("""
            import os
            os.environ["HF_HUB_OFFLINE"] = "1"
            from huggingface_hub import hf_hub_download
            hf_hub_download("depot-fixtures/tiny-sd2", "unet/diffusion_pytorch_model.safetensors", local_files_only=True)
            """)
        let again = try #require(try sandbox.json("gc") as? [String: Any])
        #expect(again.int("bytes_freed") == 0)
    }

    @Test("show lists files with hashes and blob paths; rm of everything empties the cache entry")
    func showThenRemove() throws {
        let sandbox = try DepotSandbox(hub: hub)
        let pulled = try #require(try sandbox.json("pull", "tiny-sd2") as? [String: Any])
        let details = try #require(try sandbox.json("show", "tiny-sd2") as? [String: Any])
        #expect(details.string("repo") == "depot-fixtures/tiny-sd2")
        let versions = try #require(details["versions"] as? [[String: Any]])
        #expect(versions.count == 1)
        let files = try #require(versions[0]["files"] as? [[String: Any]])
        #expect(files.count == (pulled["files"] as? [Any])?.count)
        for file in files {
            let blob = try #require(file.string("blob"))
            #expect(FileManager.default.fileExists(atPath: blob))
            #expect(file.string("sha256")?.count == 64)
        }
        let text = try sandbox.depot("show", "tiny-sd2").stdout
        #expect(text.contains("unet/diffusion_pytorch_model.safetensors"))

        let removed = try #require(try sandbox.json("rm", "tiny-sd2") as? [String: Any])
        #expect(removed.int("bytes_freed") == PullCommandTests.totalSize(pulled))
        #expect(!FileManager.default.fileExists(atPath: sandbox.hubCache.appendingPathComponent("models--depot-fixtures--tiny-sd2").path))
        let missing = try sandbox.run(["show", "tiny-sd2"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("not installed"))
    }

    @Test("smoke of an installed name passes, writes the PNG and is recorded in the catalog")
    func smokeIsRecorded() throws {
        let sandbox = try DepotSandbox(hub: hub)
        try sandbox.depot("pull", "tiny-sd1")
        let png = sandbox.home.path("smoke.png")
        let report = try #require(try sandbox.json("smoke", "tiny-sd1", "--output", png.path) as? [String: Any])
        #expect(report.string("status") == "pass")
        let header = try Data(contentsOf: png).prefix(8)
        #expect(header == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let list = try #require(try sandbox.json("list") as? [[String: Any]])
        #expect(list.first?.string("smoke") == "pass")
        #expect(list.first?.string("smoke_at") != nil)
    }
}
