/// A blob file found in the cache.
public struct BlobFile: Sendable, Equatable {
    public let repo: String
    public let etag: String
    public let path: String
    public let size: Int64

    public init(repo: String, etag: String, path: String, size: Int64) {
        (self.repo, self.etag, self.path, self.size) = (repo, etag, path, size)
    }
}

/// A partial download found in a repo's blobs folder: depot's `{etag}.incomplete` (and any
/// sidecar named `{etag}.incomplete.*`) or huggingface_hub's `{etag}.{random}.incomplete`.
public struct PartialFile: Sendable, Equatable {
    public let repo: String
    /// The etag of the blob this partial would become (its lock is ``CacheLayout/lockPath(repo:etag:)``).
    public let etag: String
    public let path: String
    public let size: Int64

    public init(repo: String, etag: String, path: String, size: Int64) {
        (self.repo, self.etag, self.path, self.size) = (repo, etag, path, size)
    }
}

extension CacheLayout {
    /// The repo ids that have a `models--*` folder in the cache, sorted.
    public func cachedRepos() throws -> [String] {
        try SystemCall.listDirectory(root)
            .filter { $0.kind == .directory }
            .compactMap { Self.repoID(folderName: $0.name) }
    }

    /// The commits that have a snapshot folder in `repo`, sorted.
    public func snapshotCommits(repo: String) throws -> [String] {
        try SystemCall.listDirectory(PathString.join(try repoFolder(repo: repo), "snapshots"))
            .filter { $0.kind == .directory }
            .map(\.name)
    }

    /// The size of `blobs/{etag}`, or nil when the blob is not in the cache (e.g. to reuse, after
    /// re-hashing, a blob huggingface_hub downloaded).
    public func blobSize(repo: String, etag: String) throws -> Int64? {
        try SystemCall.linkStatus(try blobPath(repo: repo, etag: etag)).map { Int64($0.st_size) }
    }

    /// The complete blobs of `repo` (partials and temporary files excluded), sorted by etag.
    public func blobFiles(repo: String) throws -> [BlobFile] {
        let folder = try blobsFolder(repo: repo)
        return try SystemCall.listDirectory(folder).compactMap { entry in
            guard entry.kind == .file, !entry.name.contains("."), !entry.name.hasPrefix(".") else { return nil }
            let path = PathString.join(folder, entry.name)
            return BlobFile(repo: repo, etag: entry.name, path: path, size: try Self.size(of: path))
        }
    }

    /// The partial downloads in `repo`'s blobs folder, sorted by file name.
    public func partialFiles(repo: String) throws -> [PartialFile] {
        let folder = try blobsFolder(repo: repo)
        return try SystemCall.listDirectory(folder).compactMap { entry in
            guard entry.kind == .file, entry.name.contains(Self.partialSuffix),
                  let etag = entry.name.split(separator: ".").first, !entry.name.hasPrefix(".")
            else { return nil }
            let path = PathString.join(folder, entry.name)
            return PartialFile(repo: repo, etag: String(etag), path: path, size: try Self.size(of: path))
        }
    }

    /// The files of a snapshot (paths relative to the snapshot) with the etag each links to;
    /// the etag is nil for an entry that is not a link into the blobs folder.
    public func snapshotFiles(repo: String, commit: String) throws -> [(path: String, etag: String?)] {
        let folder = try snapshotFolder(repo: repo, commit: commit)
        return try Self.filesBelow(folder).map { entry in
            guard entry.kind == .symlink,
                  let target = try SystemCall.readLink(PathString.join(folder, entry.name)),
                  target == Self.blobLinkTarget(repoPath: entry.name, etag: PathString.lastComponent(of: target))
            else { return (entry.name, nil) }
            return (entry.name, PathString.lastComponent(of: target))
        }
    }

    /// Every etag some snapshot of `repo` links to. `depot gc` must spare these even when no
    /// depot version records them: they may be huggingface_hub's downloads.
    public func linkedEtags(repo: String) throws -> Set<String> {
        var etags = Set<String>()
        for commit in try snapshotCommits(repo: repo) {
            for file in try snapshotFiles(repo: repo, commit: commit) {
                if let etag = file.etag { etags.insert(etag) }
            }
        }
        return etags
    }

    static func size(of path: String) throws -> Int64 {
        Int64(try SystemCall.linkStatus(path)?.st_size ?? 0)
    }
}
