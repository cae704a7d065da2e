import DepotStore
import Foundation
import DepotTestSupport
import Testing

/// A cache filled through depot's API is accepted by the real huggingface_hub.
@Suite struct HuggingFaceInteropTests {
    let repo = "depot-fixtures/tiny-sd1"
    let commit = "5f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9"
    let files = [
        ("model_index.json", "Tests/Fixtures/tiny-sd1/model_index.json", "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"),
        ("unet/config.json", "Tests/Fixtures/tiny-sd1/unet/config.json", "1a1b2c3d4e5f60718293a4b5c6d7e8f901234567"),
        ("tokenizer/vocab.json", "Tests/Fixtures/tiny-sd1/tokenizer/vocab.json", "2a1b2c3d4e5f60718293a4b5c6d7e8f901234567"),
    ]

    private func fill(_ layout: CacheLayout) throws {
        for (path, fixture, etag) in files {
            let partial = try layout.partialPath(repo: repo, etag: etag)
            try FileManager.default.createDirectory(
                atPath: try layout.blobsFolder(repo: repo), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: TestEnvironment.packageRoot.path + "/" + fixture, toPath: partial)
            try layout.installBlob(fromPartial: partial, repo: repo, etag: etag, durable: false)
            try layout.linkSnapshotFile(repo: repo, commit: commit, path: path, etag: etag)
        }
        try layout.writeRef(repo: repo, revision: "main", commit: commit)
    }

    @Test func scanCacheDirReportsTheRepoWithoutWarnings() throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root + "/hub")
        try fill(layout)
        _ = try FileLock.tryAcquire(at: try layout.lockPath(repo: repo, etag: files[0].2))

        let result = try runPython("""
        import json, sys
        from huggingface_hub import scan_cache_dir
        info = scan_cache_dir(sys.argv[1])
        repos = [{"id": r.repo_id, "type": r.repo_type, "files": r.nb_files,
                  "revisions": sorted(v.commit_hash for v in r.revisions),
                  "refs": sorted(ref for v in r.revisions for ref in v.refs)} for r in info.repos]
        print(json.dumps({"repos": repos, "warnings": [str(w) for w in info.warnings]}))
        """, [layout.root])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let warnings = report?["warnings"] as? [String]
        #expect(warnings == [])
        let repos = report?["repos"] as? [[String: Any]] ?? []
        #expect(repos.count == 1)
        #expect(repos.first?["id"] as? String == repo)
        #expect(repos.first?["type"] as? String == "model")
        #expect(repos.first?["files"] as? Int == files.count)
        #expect(repos.first?["revisions"] as? [String] == [commit])
        #expect(repos.first?["refs"] as? [String] == ["main"])
    }

    @Test func removingASnapshotKeepsTheCacheValidForHuggingFaceHub() throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root + "/hub")
        try fill(layout)
        let newer = "6f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9"
        try layout.linkSnapshotFile(repo: repo, commit: newer, path: "model_index.json", etag: files[0].2)
        try layout.writeRef(repo: repo, revision: "v2", commit: newer)

        try layout.removeSnapshot(repo: repo, commit: commit)
        for (_, _, etag) in files.dropFirst() { try layout.removeBlob(repo: repo, etag: etag) }

        let result = try runPython("""
        import sys
        from huggingface_hub import scan_cache_dir
        info = scan_cache_dir(sys.argv[1])
        print(len(info.warnings), [sorted(v.commit_hash for v in r.revisions) for r in info.repos],
              sorted(ref for r in info.repos for v in r.revisions for ref in v.refs))
        """, [layout.root])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0 [['\(newer)']] ['v2']")
    }

    @Test func hfHubDownloadFindsNestedFilesOffline() throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root + "/hub")
        try fill(layout)

        let result = try runPython("""
        import sys
        from huggingface_hub import hf_hub_download
        for name in ("model_index.json", "unet/config.json"):
            path = hf_hub_download(sys.argv[2], name, cache_dir=sys.argv[1], local_files_only=True)
            print(path)
            print(open(path).read() == open(sys.argv[3] + "/" + name).read())
        """, [layout.root, repo, TestEnvironment.packageRoot.path + "/Tests/Fixtures/tiny-sd1"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            try layout.snapshotFilePath(repo: repo, commit: commit, path: "model_index.json"), "True",
            try layout.snapshotFilePath(repo: repo, commit: commit, path: "unet/config.json"), "True",
        ])
    }
}
