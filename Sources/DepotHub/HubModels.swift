/// A revision resolved to its commit.
public struct RepoRevision: Sendable, Equatable {
    /// The 40-hex commit id.
    public var commit: String
    /// Paths of every file at that commit (`siblings[].rfilename`).
    public var files: [String]
}

/// One file of a repository at a commit, as the tree listing reports it.
public struct RemoteFile: Sendable, Equatable {
    public struct LFS: Sendable, Equatable {
        /// Content SHA-256 (hex).
        public var sha256: String
        public var size: Int64
    }

    public var path: String
    /// Size of the content (for LFS files, of the real file, not the pointer).
    public var size: Int64
    /// Git blob sha1 of the file in the repository (for LFS files, of the pointer); nil when unknown.
    public var gitOID: String?
    public var lfs: LFS?

    public init(path: String, size: Int64, gitOID: String?, lfs: LFS?) {
        self.path = path
        self.size = size
        self.gitOID = gitOID
        self.lfs = lfs
    }

    /// What the downloaded bytes must hash to: the LFS SHA-256, else the git blob sha1.
    public var expectedHash: ExpectedHash? {
        if let lfs { return .sha256(lfs.sha256) }
        return gitOID.map { .gitBlobSHA1($0) }
    }

    /// The Hub's etag for this file, which names its blob in the HF cache.
    public var etag: String? { lfs?.sha256 ?? gitOID }
}

/// What a `HEAD` on `/{repo}/resolve/{revision}/{path}` tells about a file.
public struct FileMetadata: Sendable, Equatable {
    /// `X-Repo-Commit`, when the server sent it.
    public var commit: String?
    /// `X-Linked-Etag`, else `ETag`, normalised (no `W/`, no quotes).
    public var etag: String
    /// `X-Linked-Size`, else `Content-Length`.
    public var size: Int64
    /// The URL that answered, after the redirects that were followed.
    public var url: String

    /// The hash the etag stands for: 64 hex digits are a SHA-256, 40 a git blob sha1.
    public var expectedHash: ExpectedHash? { ExpectedHash(etag: etag) }
}

/// The hash a downloaded file must have.
public enum ExpectedHash: Sendable, Equatable, CustomStringConvertible {
    case sha256(String)
    case gitBlobSHA1(String)

    /// Reads a normalised etag: 64 hex digits are a SHA-256, 40 a git blob sha1.
    public init?(etag: String) {
        let isHex = etag.allSatisfy(\.isHexDigit)
        switch (isHex, etag.count) {
        case (true, 64): self = .sha256(etag.lowercased())
        case (true, 40): self = .gitBlobSHA1(etag.lowercased())
        default: return nil
        }
    }

    public var hex: String {
        switch self {
        case .sha256(let hex), .gitBlobSHA1(let hex): return hex
        }
    }

    public var algorithm: String {
        switch self {
        case .sha256: return "sha256"
        case .gitBlobSHA1: return "git-sha1"
        }
    }

    public var description: String { "\(algorithm):\(hex)" }
}
