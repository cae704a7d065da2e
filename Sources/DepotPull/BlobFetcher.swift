import DepotCore
import DepotHub
import DepotStore
import Foundation

/// Puts one file of a repository into the cache as a verified blob: reuses a blob already there
/// when its hash checks out, otherwise downloads it under the blob's lock (the lock file
/// huggingface_hub uses, so depot and Python clients never write the same blob at once).
struct BlobFetcher: Sendable {
    let hub: HubClient
    let layout: CacheLayout

    struct Outcome: Sendable {
        var digest: ContentDigest
        var status: PulledFile.Status
        var transferred: Int64
    }

    func fetch(repo: String, commit: String, file: RemoteFile, events: @escaping @Sendable (PullEvent) -> Void) async throws -> Outcome {
        guard let etag = file.etag, let expected = file.expectedHash else {
            throw PullError.unverifiableFile(repo: repo, path: file.path)
        }
        if let reused = try reuse(repo: repo, etag: etag, file: file) {
            try link(repo: repo, commit: commit, file: file, etag: etag)
            return reused
        }
        let lockPath = try layout.lockPath(repo: repo, etag: etag)
        let lock = try await FileLock.acquire(at: lockPath) { events(.waitingForLock(path: file.path)) }
        defer { lock.release() }
        // Whoever held the lock may have just installed this blob.
        if let reused = try reuse(repo: repo, etag: etag, file: file) {
            try link(repo: repo, commit: commit, file: file, etag: etag)
            return reused
        }
        let partial = URL(fileURLWithPath: try layout.partialPath(repo: repo, etag: etag))
        try FileManager.default.createDirectory(at: partial.deletingLastPathComponent(), withIntermediateDirectories: true)
        let request = DownloadRequest(repo: repo, commit: commit, path: file.path, size: file.size,
                                      expectedHash: expected, partialFile: partial)
        events(.fileStarted(path: file.path, size: file.size))
        let result = try await hub.download(request) { progress in
            events(.fileProgress(path: file.path, completed: progress.completedBytes, total: progress.totalBytes))
        }
        try layout.installBlob(fromPartial: partial.path, repo: repo, etag: etag)
        // Linked while the lock is held, so `depot gc` never sees the new blob unreferenced.
        try link(repo: repo, commit: commit, file: file, etag: etag)
        let digest = ContentDigest(sha256: result.sha256, gitSHA1: file.lfs == nil ? etag : nil, size: result.size)
        return Outcome(digest: digest, status: result.bytesResumed > 0 ? .resumed : .downloaded,
                       transferred: result.bytesTransferred)
    }

    private func link(repo: String, commit: String, file: RemoteFile, etag: String) throws {
        try layout.linkSnapshotFile(repo: repo, commit: commit, path: file.path, etag: etag)
    }

    /// A blob already in the cache counts only when its bytes hash to the etag, whoever put it there.
    /// A blob that fails the check is removed so it is downloaded again.
    private func reuse(repo: String, etag: String, file: RemoteFile) throws -> Outcome? {
        let blob = try layout.blobPath(repo: repo, etag: etag)
        var info = stat()
        guard stat(blob, &info) == 0 else { return nil }
        guard Int64(info.st_size) == file.size else {
            try layout.removeBlob(repo: repo, etag: etag)
            return nil
        }
        let digest = try ContentHasher.digest(ofFileAt: blob, gitBlob: file.lfs == nil)
        guard digest.size == file.size, digest.matches(etag: etag) else {
            try layout.removeBlob(repo: repo, etag: etag)
            return nil
        }
        return Outcome(digest: digest, status: .reused, transferred: 0)
    }
}
