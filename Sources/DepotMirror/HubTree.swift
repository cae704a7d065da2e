import DepotCore
import DepotStore
import Foundation

/// One entry of `/api/models/{repo}/tree/{rev}`, in the Hub's JSON shape.
public struct HubTreeEntry: Sendable, Equatable, Encodable {
    public struct LFS: Sendable, Equatable, Encodable {
        /// SHA-256 of the content.
        public var oid: String
        public var size: Int64
        public var pointerSize: Int

        public init(oid: String, size: Int64, pointerSize: Int) {
            self.oid = oid
            self.size = size
            self.pointerSize = pointerSize
        }
    }

    /// `file` or `directory`.
    public var type: String
    /// A file's git blob sha1 (for an LFS file: of its pointer file, as git stores it).
    public var oid: String
    public var size: Int64
    public var path: String
    public var lfs: LFS?
}

/// The tree of an installed snapshot, built from its file list.
public struct HubTree: Sendable {
    public let entries: [HubTreeEntry]

    /// Lists `folder` (the root when nil) of `snapshot`: its direct children, or everything below it
    /// with `recursive` (folders before their contents, like `git ls-tree -r -t`). Returns nil when
    /// `folder` is not a folder of the snapshot.
    public static func listing(of snapshot: InstalledSnapshot, folder: String?, recursive: Bool,
                               gitOID: (CatalogFile) throws -> String) rethrows -> HubTree? {
        var files: [HubTreeEntry] = []
        for file in snapshot.sortedFiles {
            files.append(try fileEntry(file, gitOID: try gitOID(file)))
        }
        let folders = folderEntries(of: files)
        let prefix = folder.map { $0 + "/" } ?? ""
        if let folder, !folders.contains(where: { $0.path == folder }) { return nil }
        let below = (folders + files).filter { entry in
            guard entry.path.hasPrefix(prefix) else { return false }
            return recursive || !entry.path.dropFirst(prefix.count).contains("/")
        }
        return HubTree(entries: below.sorted { $0.path < $1.path })
    }

    /// The git blob sha1 of a file: its etag when that is one, else hashed from the blob
    /// (a server that gave no git oid, so the file was named by its SHA-256).
    public static func gitOID(of file: CatalogFile, blobPath: String) throws -> String {
        if file.isLFS { return lfsPointer(of: file).oid }
        if file.etag.count == 40 { return file.etag }
        return try ContentHasher.digest(ofFileAt: blobPath, gitBlob: true).gitSHA1 ?? file.etag
    }

    /// The git-lfs pointer file git holds for an LFS file: its git oid and length.
    static func lfsPointer(of file: CatalogFile) -> (oid: String, size: Int) {
        let pointer = Data("version https://git-lfs.github.com/spec/v1\noid sha256:\(file.sha256)\nsize \(file.size)\n".utf8)
        return (gitBlobSHA1(pointer), pointer.count)
    }

    static func fileEntry(_ file: CatalogFile, gitOID: String) -> HubTreeEntry {
        let lfs = file.isLFS ? HubTreeEntry.LFS(oid: file.sha256, size: file.size, pointerSize: lfsPointer(of: file).size) : nil
        return HubTreeEntry(type: "file", oid: gitOID, size: file.size, path: file.path, lfs: lfs)
    }

    /// One entry per folder that holds a file. A folder's oid is a stable digest of what is below
    /// it (not git's tree hash: only part of the repo may be installed).
    static func folderEntries(of files: [HubTreeEntry]) -> [HubTreeEntry] {
        var contents: [String: [String]] = [:]
        for file in files {
            var components = file.path.split(separator: "/").dropLast()
            while !components.isEmpty {
                contents[components.joined(separator: "/"), default: []].append("\(file.oid) \(file.path)")
                components = components.dropLast()
            }
        }
        return contents.map { path, lines in
            HubTreeEntry(type: "directory", oid: gitBlobSHA1(Data(lines.sorted().joined(separator: "\n").utf8)), size: 0, path: path, lfs: nil)
        }
    }

    static func gitBlobSHA1(_ data: Data) -> String {
        var hasher = ContentHasher(gitBlobSize: Int64(data.count))
        hasher.update(data)
        return hasher.finalize().gitSHA1 ?? ""
    }
}
