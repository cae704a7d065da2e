import DepotStore
import Testing

@Suite struct CacheLayoutPathTests {
    let layout = CacheLayout(root: "/cache/hub")

    @Test func repoFolderNames() throws {
        #expect(try CacheLayout.folderName(repo: "openai/clip-vit-base-patch32") == "models--openai--clip-vit-base-patch32")
        #expect(try CacheLayout.folderName(repo: "gpt2") == "models--gpt2")
        #expect(CacheLayout.repoID(folderName: "models--stabilityai--stable-diffusion-2-1-base") == "stabilityai/stable-diffusion-2-1-base")
        #expect(CacheLayout.repoID(folderName: "datasets--a--b") == nil)
    }

    @Test func pathsFollowTheHuggingFaceLayout() throws {
        let repo = "depot-fixtures/tiny-sd1"
        let commit = "0123456789abcdef0123456789abcdef01234567"
        #expect(try layout.blobPath(repo: repo, etag: "abc") == "/cache/hub/models--depot-fixtures--tiny-sd1/blobs/abc")
        #expect(try layout.partialPath(repo: repo, etag: "abc") == "/cache/hub/models--depot-fixtures--tiny-sd1/blobs/abc.incomplete")
        #expect(try layout.snapshotFilePath(repo: repo, commit: commit, path: "unet/config.json")
            == "/cache/hub/models--depot-fixtures--tiny-sd1/snapshots/\(commit)/unet/config.json")
        #expect(try layout.refPath(repo: repo, revision: "main") == "/cache/hub/models--depot-fixtures--tiny-sd1/refs/main")
        #expect(try layout.refPath(repo: repo, revision: "refs/pr/1") == "/cache/hub/models--depot-fixtures--tiny-sd1/refs/refs/pr/1")
        #expect(try layout.lockPath(repo: repo, etag: "abc") == "/cache/hub/.locks/models--depot-fixtures--tiny-sd1/abc.lock")
    }

    @Test(arguments: [
        ("model_index.json", "../../blobs/e1"),
        ("unet/config.json", "../../../blobs/e1"),
        ("a/b/c/d.bin", "../../../../../blobs/e1"),
    ])
    func symlinkTargetDepthFollowsThePath(path: String, target: String) {
        #expect(CacheLayout.blobLinkTarget(repoPath: path, etag: "e1") == target)
    }

    @Test(arguments: ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a"])
    func unsafeRepoPathsAreRefused(path: String) {
        #expect(throws: CacheLayoutError.invalidRepoPath(repo: "o/n", path: path)) {
            try layout.snapshotFilePath(repo: "o/n", commit: "c0ffee", path: path)
        }
    }

    @Test(arguments: ["", "a/b/c", "a--b/c", "../x", "a/.b", "-a/b"])
    func invalidRepoIDsAreRefused(repo: String) {
        #expect(throws: CacheLayoutError.invalidRepoID(repo)) { try layout.repoFolder(repo: repo) }
    }

    @Test func etagsAndCommitsCannotEscape() {
        #expect(throws: CacheLayoutError.invalidName(kind: "etag", value: "../x")) { try layout.blobPath(repo: "o/n", etag: "../x") }
        #expect(throws: CacheLayoutError.invalidName(kind: "commit", value: "..")) { try layout.snapshotFolder(repo: "o/n", commit: "..") }
        #expect(throws: CacheLayoutError.invalidName(kind: "revision", value: "../main")) { try layout.refPath(repo: "o/n", revision: "../main") }
    }
}
