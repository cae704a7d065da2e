import DepotCore
import DepotStore
import Foundation

/// The JSON of `/api/models/{repo}/revision/{rev}`: the fields huggingface_hub's `ModelInfo` reads
/// (`sha` and `siblings[].rfilename` are what `snapshot_download` needs; sizes and hashes of the
/// siblings only with `?blobs=true`, as on the Hub).
struct HubModelInfo: Encodable {
    struct Sibling: Encodable {
        struct LFS: Encodable {
            var sha256: String
            var size: Int64
            var pointerSize: Int
        }
        var rfilename: String
        var size: Int64?
        var blobId: String?
        var lfs: LFS?
    }

    var _id: String
    var id: String
    var modelId: String
    var author: String?
    var sha: String
    var lastModified: String
    var createdAt: String
    var `private` = false
    var disabled = false
    var gated = false
    var downloads = 0
    var likes = 0
    var tags: [String] = []
    var siblings: [Sibling]

    init(snapshot: InstalledSnapshot, withBlobs: Bool, gitOID: (CatalogFile) throws -> String) rethrows {
        let date = Self.hubDate(snapshot.lastModified)
        _id = snapshot.repo
        id = snapshot.repo
        modelId = snapshot.repo
        author = snapshot.repo.contains("/") ? String(snapshot.repo.prefix { $0 != "/" }) : nil
        sha = snapshot.commit
        lastModified = date
        createdAt = date
        siblings = try snapshot.sortedFiles.map { file in
            guard withBlobs else { return Sibling(rfilename: file.path) }
            let lfs = file.isLFS
                ? Sibling.LFS(sha256: file.sha256, size: file.size, pointerSize: HubTree.lfsPointer(of: file).size) : nil
            return Sibling(rfilename: file.path, size: file.size, blobId: try gitOID(file), lfs: lfs)
        }
    }

    /// The Hub's timestamp format, `2024-05-01T12:00:00.000Z` (huggingface_hub parses exactly this).
    static func hubDate(_ date: Date) -> String {
        UTCTimestamp(date).formatted(.iso8601Milliseconds)
    }
}
