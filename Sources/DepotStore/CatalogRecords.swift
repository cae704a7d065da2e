import Foundation

/// The state of a version in the catalog. `depot list` shows installed and broken ones only.
public enum VersionState: String, Sendable, Codable {
    /// Being downloaded; not usable yet (reserved for the daemon's jobs).
    case installing
    /// Every file was verified when it was recorded.
    case installed
    /// A later `depot verify` found a file that no longer matches its hash.
    case broken
}

/// One file of a version, verified before it is recorded.
public struct VerifiedFile: Sendable, Equatable, Codable {
    /// Path inside the repo, e.g. `unet/diffusion_pytorch_model.safetensors`.
    public var path: String
    public var size: Int64
    /// SHA-256 of the content (lower-case hex), computed while downloading.
    public var sha256: String
    /// The etag the blob is named by in the cache (`blobs/{etag}`).
    public var etag: String
    /// Whether the Hub stores the file with Git LFS.
    public var isLFS: Bool

    public init(path: String, size: Int64, sha256: String, etag: String, isLFS: Bool) {
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.etag = etag
        self.isLFS = isLFS
    }
}

/// A version to record once all its files are in the cache and verified.
public struct NewVersion: Sendable, Equatable {
    /// The short name it was pulled by (`sd-1.5`, `coreml-sd-2.1-base/split-einsum`, or the repo id).
    public var name: String
    public var repo: String
    /// `diffusers`, `coreml`, `tokenizer`, ...
    public var kind: String
    public var commit: String
    /// The revision the user asked for (`main`, a tag, a commit prefix).
    public var revision: String
    public var files: [VerifiedFile]
    public var pulledAt: Date

    public init(name: String, repo: String, kind: String, commit: String, revision: String,
                files: [VerifiedFile], pulledAt: Date = Date()) {
        self.name = name
        self.repo = repo
        self.kind = kind
        self.commit = commit
        self.revision = revision
        self.files = files
        self.pulledAt = pulledAt
    }
}

/// A version as `depot list` shows it.
public struct InstalledVersion: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var name: String
    public var repo: String
    public var kind: String
    public var commit: String
    public var revision: String
    public var fileCount: Int
    public var bytes: Int64
    public var pulledAt: Date
    /// When `depot verify` (or the pull) last checked every file; nil if never re-verified.
    public var verifiedAt: Date?
    public var state: VersionState
    /// The last `depot smoke` of this version: passed or not, and when; nil when never smoke-tested.
    public var smokePassed: Bool? = nil
    public var smokeAt: Date? = nil
}

/// A file of a recorded version.
public struct CatalogFile: Sendable, Equatable {
    public var path: String
    public var size: Int64
    public var sha256: String
    public var etag: String
    public var isLFS: Bool
}

/// A blob in the cache (`blobs/{etag}` of `repo`) that no recorded version uses any more.
public struct UnusedBlob: Sendable, Equatable, Hashable {
    public var repo: String
    public var etag: String
}

/// What removing a version freed, so the caller can delete it from the cache.
public struct RemovedVersion: Sendable, Equatable {
    public var version: InstalledVersion
    /// Snapshot paths (relative to `snapshots/{commit}`) no other version of the same repo and
    /// commit lists (two variants of one repo share a snapshot folder).
    public var unusedSnapshotPaths: [String]
    /// True when no other version uses the snapshot folder at all: remove it whole.
    public var snapshotUnused: Bool
    /// Blobs of the version that no other version of the repo uses.
    public var unusedBlobs: [UnusedBlob]
}
