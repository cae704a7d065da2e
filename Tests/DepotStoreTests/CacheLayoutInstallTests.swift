import DepotStore
import Foundation
import DepotTestSupport
import Testing

@Suite struct CacheLayoutInstallTests {
    let repo = "org/model"
    let commit = "1111111111111111111111111111111111111111"

    @Test func installBlobRenamesThePartialIntoPlace() throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root)
        let partial = try layout.partialPath(repo: repo, etag: "e1")
        _ = try folder.write("weights", to: String(partial.dropFirst(folder.root.count + 1)))

        let blob = try layout.installBlob(fromPartial: partial, repo: repo, etag: "e1")

        #expect(blob == (try layout.blobPath(repo: repo, etag: "e1")))
        #expect(try String(contentsOfFile: blob, encoding: .utf8) == "weights")
        #expect(!FileManager.default.fileExists(atPath: partial))
        #expect(try layout.blobFiles(repo: repo).map(\.etag) == ["e1"])
        #expect(try layout.blobSize(repo: repo, etag: "e1") == 7)
        #expect(try layout.blobSize(repo: repo, etag: "e9") == nil)
        #expect(try layout.partialFiles(repo: repo).isEmpty)
    }

    @Test func installingAMissingPartialNamesThePath() throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root)
        let partial = try layout.partialPath(repo: repo, etag: "e2")
        #expect(throws: FileSystemError.self) { try layout.installBlob(fromPartial: partial, repo: repo, etag: "e2") }
        do {
            try layout.installBlob(fromPartial: partial, repo: repo, etag: "e2", durable: false)
        } catch let error as FileSystemError {
            #expect(error.description.contains(partial))
            #expect(error.isNotFound)
        }
    }

    @Test func snapshotLinksAreRelativeAndResolveToTheBlob() throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root)
        let blob = try layout.blobPath(repo: repo, etag: "e3")
        _ = try folder.write("{}", to: String(blob.dropFirst(folder.root.count + 1)))

        let link = try layout.linkSnapshotFile(repo: repo, commit: commit, path: "unet/config.json", etag: "e3")

        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "../../../blobs/e3")
        #expect(try String(contentsOfFile: link, encoding: .utf8) == "{}")
        let files = try layout.snapshotFiles(repo: repo, commit: commit)
        #expect(files.map(\.path) == ["unet/config.json"])
        #expect(files.map(\.etag) == ["e3"])
    }

    @Test func relinkingReplacesTheLinkAtomicallyAndLeavesNoTemporaryFile() throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root)
        try layout.linkSnapshotFile(repo: repo, commit: commit, path: "model_index.json", etag: "old")
        let link = try layout.linkSnapshotFile(repo: repo, commit: commit, path: "model_index.json", etag: "new")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "../../blobs/new")
        let entries = try FileManager.default.contentsOfDirectory(atPath: try layout.snapshotFolder(repo: repo, commit: commit))
        #expect(entries == ["model_index.json"])
    }

    /// A reader polling the snapshot path while it is relinked over and over never finds it missing.
    @Test func readersNeverSeeASnapshotFileMissingWhileItIsRelinked() async throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root)
        for etag in ["ea", "eb"] { try folder.write(etag, to: "models--org--model/blobs/\(etag)") }
        let link = try layout.linkSnapshotFile(repo: repo, commit: commit, path: "unet/config.json", etag: "ea")
        let counts = ReadCounts()
        let reader = Task.detached {
            while !Task.isCancelled {
                counts.record(found: (try? String(contentsOfFile: link, encoding: .utf8)) != nil)
            }
        }
        #expect(try await eventually(within: 10) { counts.reads > 0 }, "the reader must be running before relinking")
        for round in 0..<400 {
            try layout.linkSnapshotFile(repo: repo, commit: commit, path: "unet/config.json", etag: round % 2 == 0 ? "eb" : "ea")
        }
        reader.cancel()
        await reader.value
        let (reads, missing) = (counts.reads, counts.missing)
        #expect(reads > 1)
        #expect(missing == 0, "\(missing) of \(reads) reads found no file")
    }

    @Test func refsHoldTheCommitWithoutNewline() throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root)
        try layout.writeRef(repo: repo, revision: "main", commit: commit)
        try layout.writeRef(repo: repo, revision: "refs/pr/1", commit: commit)
        try layout.writeRef(repo: repo, revision: commit, commit: commit)

        let main = try Data(contentsOf: URL(fileURLWithPath: try layout.refPath(repo: repo, revision: "main")))
        #expect(main == Data(commit.utf8))
        #expect(try layout.readRef(repo: repo, revision: "refs/pr/1") == commit)
        #expect(try layout.readRef(repo: repo, revision: commit) == nil)
        #expect(try layout.readRef(repo: repo, revision: "v2") == nil)
    }

    @Test func removingASnapshotRemovesItsRefsButKeepsOthers() throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root)
        let other = "2222222222222222222222222222222222222222"
        try layout.linkSnapshotFile(repo: repo, commit: commit, path: "a/b.json", etag: "e1")
        try layout.linkSnapshotFile(repo: repo, commit: other, path: "a/b.json", etag: "e1")
        try layout.writeRef(repo: repo, revision: "main", commit: other)
        try layout.writeRef(repo: repo, revision: "refs/pr/3", commit: commit)

        try layout.removeSnapshot(repo: repo, commit: commit)

        #expect(try layout.snapshotCommits(repo: repo) == [other])
        #expect(try layout.readRef(repo: repo, revision: "refs/pr/3") == nil)
        #expect(try layout.readRef(repo: repo, revision: "main") == other)
        let refsFolder = try layout.repoFolder(repo: repo) + "/refs"
        #expect(try FileManager.default.contentsOfDirectory(atPath: refsFolder) == ["main"])
    }

    @Test func removingSomeSnapshotFilesPrunesEmptyFolders() throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root)
        try layout.linkSnapshotFile(repo: repo, commit: commit, path: "original/a.bin", etag: "e1")
        try layout.linkSnapshotFile(repo: repo, commit: commit, path: "split_einsum/a.bin", etag: "e2")

        try layout.removeSnapshotFiles(repo: repo, commit: commit, paths: ["original/a.bin"])
        #expect(try layout.snapshotFiles(repo: repo, commit: commit).map(\.path) == ["split_einsum/a.bin"])
        #expect(try layout.linkedEtags(repo: repo) == ["e2"])

        try layout.removeSnapshotFiles(repo: repo, commit: commit, paths: ["split_einsum/a.bin"])
        #expect(try layout.snapshotCommits(repo: repo).isEmpty)
        #expect(try layout.removeRepoIfEmpty(repo: repo))
        #expect(try layout.cachedRepos().isEmpty)
    }

    @Test func enumerationFindsReposBlobsAndPartials() throws {
        let folder = try TemporaryDirectory()
        let layout = CacheLayout(root: folder.root)
        let blobs = try layout.blobsFolder(repo: repo)
        let relative = String(blobs.dropFirst(folder.root.count + 1))
        _ = try folder.write("12345", to: relative + "/aaaa")
        _ = try folder.write("12", to: relative + "/bbbb.incomplete")
        _ = try folder.write("{}", to: relative + "/bbbb.incomplete.parts")
        _ = try folder.write("1", to: relative + "/cccc.1a2b3c4d.incomplete")
        _ = try folder.write("x", to: "models--other--repo/blobs/dddd")
        _ = try folder.write("", to: ".locks/models--org--model/aaaa.lock")

        #expect(try layout.cachedRepos() == ["org/model", "other/repo"])
        #expect(try layout.blobFiles(repo: repo) == [BlobFile(repo: repo, etag: "aaaa", path: blobs + "/aaaa", size: 5)])
        let partials = try layout.partialFiles(repo: repo)
        #expect(partials.map(\.etag) == ["bbbb", "bbbb", "cccc"])
        #expect(partials.map(\.size) == [2, 2, 1])
        try layout.removePartial(partials[0])
        #expect(try layout.partialFiles(repo: repo).count == 2)
    }
}

/// Reads done by a concurrent reader, and how many found nothing.
final class ReadCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = (reads: 0, missing: 0)
    var reads: Int { lock.withLock { counts.reads } }
    var missing: Int { lock.withLock { counts.missing } }
    func record(found: Bool) { lock.withLock { counts.reads += 1; if !found { counts.missing += 1 } } }
}
