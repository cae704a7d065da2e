import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CacheLayout {
    /// Moves a verified partial file into place as `blobs/{etag}` with one atomic `rename`.
    ///
    /// Call it only after the bytes were checked against the expected hash, while holding the
    /// blob's ``FileLock``. A blob already present with the same etag is replaced (same content).
    /// - Parameter durable: when true, the file and the blobs folder are fsynced, so a crash after
    ///   this returns cannot leave an empty or short blob behind (costs a disk flush).
    /// - Returns: the blob's path.
    @discardableResult
    public func installBlob(fromPartial partialPath: String, repo: String, etag: String, durable: Bool = true) throws -> String {
        let blob = try blobPath(repo: repo, etag: etag)
        let folder = PathString.parent(of: blob)
        try SystemCall.makeDirectories(folder)
        if durable { try Self.sync(path: partialPath, flags: O_RDONLY) }
        try SystemCall.renamePath(partialPath, blob)
        if durable { try Self.sync(path: folder, flags: O_RDONLY | O_DIRECTORY) }
        return blob
    }

    /// Makes `snapshots/{commit}/{path}` a relative symlink to `blobs/{etag}`.
    ///
    /// Atomic: the link is made under a temporary name in the same folder and renamed over the
    /// final name, so readers see either the old entry or the new link, never nothing.
    /// - Returns: the snapshot file's path.
    @discardableResult
    public func linkSnapshotFile(repo: String, commit: String, path: String, etag: String) throws -> String {
        let link = try snapshotFilePath(repo: repo, commit: commit, path: path)
        let target = Self.blobLinkTarget(repoPath: path, etag: try Self.checkedName(etag, kind: "etag"))
        if try SystemCall.readLink(link) == target { return link }
        try SystemCall.makeDirectories(PathString.parent(of: link))
        let temporary = Self.temporarySibling(of: link)
        try SystemCall.makeSymlink(target: target, at: temporary)
        do {
            try SystemCall.renamePath(temporary, link)
        } catch {
            try? SystemCall.unlinkPath(temporary)
            throw error
        }
        return link
    }

    /// Records that `revision` (a branch or tag) points at `commit` in `refs/{revision}`.
    ///
    /// Like huggingface_hub: nothing is written when the revision is the commit itself or the ref
    /// already holds it; otherwise a temporary file is renamed over the ref (atomic), holding the
    /// commit with no trailing newline.
    public func writeRef(repo: String, revision: String, commit: String) throws {
        _ = try Self.checkedName(commit, kind: "commit")
        let ref = try refPath(repo: repo, revision: revision)
        if revision == commit { return }
        if try readRef(repo: repo, revision: revision) == commit { return }
        try SystemCall.makeDirectories(PathString.parent(of: ref))
        let temporary = Self.temporarySibling(of: ref)
        let fd = try SystemCall.openFile(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        do {
            try SystemCall.writeAll(fd, Array(commit.utf8), path: temporary)
            try SystemCall.closeFile(fd, path: temporary)
            try SystemCall.renamePath(temporary, ref)
        } catch {
            try? SystemCall.unlinkPath(temporary)
            throw error
        }
    }

    /// The commit `refs/{revision}` holds, or nil when there is no such ref.
    public func readRef(repo: String, revision: String) throws -> String? {
        let ref = try refPath(repo: repo, revision: revision)
        guard let bytes = try Self.readSmallFile(ref) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (try? Self.checkedName(commit, kind: "commit")) != nil else {
            throw CacheLayoutError.corruptRef(path: ref, contents: text)
        }
        return commit
    }

    // MARK: Helpers

    static func temporarySibling(of path: String) -> String {
        let folder = PathString.parent(of: path)
        let name = PathString.lastComponent(of: path)
        let unique = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return PathString.join(folder, ".\(name).\(getpid()).\(unique).depot-tmp")
    }

    private static func sync(path: String, flags: Int32) throws {
        let fd = try SystemCall.openFile(path, flags)
        defer { try? SystemCall.closeFile(fd, path: path) }
        try SystemCall.syncFile(fd, path: path)
    }

    /// Reads a file of at most 64 KiB; nil when it does not exist.
    static func readSmallFile(_ path: String) throws -> [UInt8]? {
        guard let fd = try SystemCall.openIfPresent(path, O_RDONLY) else { return nil }
        defer { try? SystemCall.closeFile(fd, path: path) }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var filled = 0
        while filled < buffer.count {
            let count = try buffer.withUnsafeMutableBytes { raw in
                try SystemCall.run("read", path) { read(fd, raw.baseAddress! + filled, raw.count - filled) }
            }
            if count == 0 { break }
            filled += count
        }
        return Array(buffer[0..<filled])
    }
}
