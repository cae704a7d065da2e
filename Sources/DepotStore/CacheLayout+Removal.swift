#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CacheLayout {
    /// Removes `snapshots/{commit}` entirely, and every ref that points at that commit (a ref to a
    /// missing snapshot makes huggingface_hub's `scan_cache_dir()` report the repo as corrupted).
    /// Blobs are left alone: remove them with ``removeBlob(repo:etag:)`` once nothing uses them.
    public func removeSnapshot(repo: String, commit: String) throws {
        try Self.removeTree(try snapshotFolder(repo: repo, commit: commit))
        try removeRefs(repo: repo, pointingAt: commit)
    }

    /// Removes some files of a snapshot (those only one removed version used) and the folders
    /// that became empty; when the snapshot is left empty it goes too, with its refs.
    public func removeSnapshotFiles(repo: String, commit: String, paths: [String]) throws {
        let snapshot = try snapshotFolder(repo: repo, commit: commit)
        for path in paths {
            let link = try snapshotFilePath(repo: repo, commit: commit, path: path)
            try Self.removeIfPresent(link)
            try Self.pruneEmptyFolders(from: PathString.parent(of: link), upTo: snapshot)
        }
        if try SystemCall.listDirectory(snapshot).isEmpty {
            try removeSnapshot(repo: repo, commit: commit)
        }
    }

    /// Deletes `blobs/{etag}`; a blob that is already gone is not an error.
    public func removeBlob(repo: String, etag: String) throws {
        try Self.removeIfPresent(try blobPath(repo: repo, etag: etag))
    }

    /// Deletes a partial download file (or its sidecar) found by ``partialFiles(repo:)``.
    public func removePartial(_ partial: PartialFile) throws {
        try Self.removeIfPresent(partial.path)
    }

    /// Removes the whole repo folder when no snapshot and no blob is left in it, so the cache does
    /// not keep an empty entry. Returns true when it removed the folder.
    @discardableResult
    public func removeRepoIfEmpty(repo: String) throws -> Bool {
        let folder = try repoFolder(repo: repo)
        let snapshots = try SystemCall.listDirectory(PathString.join(folder, "snapshots"))
        let blobs = try SystemCall.listDirectory(try blobsFolder(repo: repo))
        guard snapshots.isEmpty, blobs.isEmpty else { return false }
        try Self.removeTree(folder)
        return true
    }

    private func removeRefs(repo: String, pointingAt commit: String) throws {
        let refsFolder = PathString.join(try repoFolder(repo: repo), "refs")
        for ref in try Self.filesBelow(refsFolder) where ref.name.hasSuffix(".depot-tmp") == false {
            let path = PathString.join(refsFolder, ref.name)
            let contents = try Self.readSmallFile(path).map { String(decoding: $0, as: UTF8.self) }
            if contents == commit {
                try Self.removeIfPresent(path)
                try Self.pruneEmptyFolders(from: PathString.parent(of: path), upTo: refsFolder)
            }
        }
    }

    // MARK: Tree helpers (never follow symlinks)

    static func removeIfPresent(_ path: String) throws {
        try SystemCall.unlinkIfPresent(path)
    }

    /// Removes `path` and everything below it; symlinks are removed, never followed.
    static func removeTree(_ path: String) throws {
        guard let info = try SystemCall.linkStatus(path) else { return }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return try removeIfPresent(path) }
        for entry in try SystemCall.listDirectory(path) {
            try removeTree(PathString.join(path, entry.name))
        }
        try SystemCall.removeDirectory(path)
    }

    /// Removes empty folders from `folder` upwards, stopping at (and keeping) `limit`.
    static func pruneEmptyFolders(from folder: String, upTo limit: String) throws {
        var current = folder
        while current != limit, current.hasPrefix(limit + "/") {
            guard try SystemCall.listDirectory(current).isEmpty else { return }
            try SystemCall.removeDirectory(current)
            current = PathString.parent(of: current)
        }
    }

    /// Every non-folder entry below `folder`, named by its path relative to `folder`.
    static func filesBelow(_ folder: String, prefix: String = "") throws -> [DirectoryEntry] {
        var files: [DirectoryEntry] = []
        for entry in try SystemCall.listDirectory(PathString.join(folder, prefix)) {
            let relative = prefix.isEmpty ? entry.name : prefix + "/" + entry.name
            if entry.kind == .directory {
                files += try filesBelow(folder, prefix: relative)
            } else {
                files.append(DirectoryEntry(name: relative, kind: entry.kind))
            }
        }
        return files
    }
}
