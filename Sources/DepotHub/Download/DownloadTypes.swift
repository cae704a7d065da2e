import Foundation

/// One file to download into a partial file chosen by the caller.
public struct DownloadRequest: Sendable {
    public var repo: String
    /// The commit (or revision) to download from: `/{repo}/resolve/{commit}/{path}`.
    public var commit: String
    public var path: String
    public var size: Int64
    public var expectedHash: ExpectedHash
    /// Where the bytes accumulate. While incomplete, `<partialFile>.resume.json` sits next to it so
    /// a later call (even from another process, after kill -9) continues where this one stopped.
    public var partialFile: URL

    public init(repo: String, commit: String, path: String, size: Int64, expectedHash: ExpectedHash, partialFile: URL) {
        self.repo = repo
        self.commit = commit
        self.path = path
        self.size = size
        self.expectedHash = expectedHash
        self.partialFile = partialFile
    }
}

/// Bytes of one file present in its partial file so far (resumed bytes included).
/// The first report of a download comes before any transfer and says what was resumed.
public struct DownloadProgress: Sendable, Equatable {
    public var path: String
    public var completedBytes: Int64
    public var totalBytes: Int64
    /// Bytes that were already in the partial file when this download (attempt) started.
    public var resumedBytes: Int64
}

/// A verified download: the partial file holds exactly the expected bytes, ready to be renamed.
public struct DownloadResult: Sendable, Equatable {
    public var partialFile: URL
    public var size: Int64
    /// Content SHA-256 (hex), computed while the bytes arrived.
    public var sha256: String
    /// Bytes received over the network by this call (retried bytes included).
    public var bytesTransferred: Int64
    /// Bytes already in the partial file from an earlier, interrupted call.
    public var bytesResumed: Int64
}
