import DepotStore
import Foundation

/// The outcome of `depot rm`: the `--json` shape in docs/cli-json.md.
public struct RemoveReport: Sendable, Codable {
    public struct Removed: Sendable, Codable {
        public var name: String
        public var repo: String
        public var commit: String
    }

    public var removed: [Removed]
    public var blobsRemoved: Int
    public var bytesFreed: Int64

    enum CodingKeys: String, CodingKey {
        case removed
        case blobsRemoved = "blobs_removed", bytesFreed = "bytes_freed"
    }
}

/// The outcome of `depot gc`: the `--json` shape in docs/cli-json.md.
public struct CollectReport: Sendable, Codable {
    public var blobsRemoved: Int
    public var partialsRemoved: Int
    /// Extracted archive folders (`$DEPOT_HOME/extracted`) the catalog no longer records (their zip's last version was removed).
    public var extractionsRemoved: Int = 0
    public var bytesFreed: Int64

    enum CodingKeys: String, CodingKey {
        case blobsRemoved = "blobs_removed", partialsRemoved = "partials_removed"
        case extractionsRemoved = "extractions_removed", bytesFreed = "bytes_freed"
    }
}

extension DepotService {
    /// Removes installed versions (`NAME` for all of them, `NAME@COMMIT` for one): the catalog rows
    /// first, in one transaction, then the snapshot, then each blob that neither another installed
    /// version nor another snapshot in the cache (say, one huggingface_hub made) still uses.
    public func remove(_ reference: String) async throws -> RemoveReport {
        let versions = try await installedVersions(named: reference)
        var report = RemoveReport(removed: [], blobsRemoved: 0, bytesFreed: 0)
        for version in versions {
            let removed = try await catalog.removeVersion(id: version.id)
            // Another name can share the snapshot (two variants of one repo at one commit).
            if removed.snapshotUnused {
                try layout.removeSnapshot(repo: version.repo, commit: version.commit)
            } else {
                try layout.removeSnapshotFiles(repo: version.repo, commit: version.commit, paths: removed.unusedSnapshotPaths)
            }
            report.removed.append(.init(name: version.name, repo: version.repo, commit: version.commit))
            let freed = try await removeBlobsNobodyUses(repo: version.repo, candidates: Set(removed.unusedBlobs.map(\.etag)))
            report.blobsRemoved += freed.count
            report.bytesFreed += freed.bytes
            _ = try layout.removeRepoIfEmpty(repo: version.repo)
        }
        return report
    }

    /// Frees what no installed version references: blobs no snapshot links to and partial
    /// downloads nobody is writing (their lock is free).
    public func collectGarbage() async throws -> CollectReport {
        var report = CollectReport(blobsRemoved: 0, partialsRemoved: 0, bytesFreed: 0)
        for repo in try layout.cachedRepos() {
            let freed = try await removeBlobsNobodyUses(repo: repo, candidates: Set(try layout.blobFiles(repo: repo).map(\.etag)))
            report.blobsRemoved += freed.count
            report.bytesFreed += freed.bytes
            for partial in try layout.partialFiles(repo: repo) {
                guard let lock = try FileLock.tryAcquire(at: try layout.lockPath(repo: repo, etag: partial.etag)) else { continue }
                defer { lock.release() }
                try layout.removePartial(partial)
                report.partialsRemoved += 1
                report.bytesFreed += partial.size
            }
            _ = try layout.removeRepoIfEmpty(repo: repo)
        }
        return report
    }

    private func removeBlobsNobodyUses(repo: String, candidates: Set<String>) async throws -> (count: Int, bytes: Int64) {
        guard !candidates.isEmpty else { return (0, 0) }
        let used = (try await catalog.referencedBlobs()[repo] ?? []).union(try layout.linkedEtags(repo: repo))
        var count = 0
        var bytes: Int64 = 0
        for blob in try layout.blobFiles(repo: repo) where candidates.contains(blob.etag) && !used.contains(blob.etag) {
            // A held lock means a pull is installing this blob right now and links it before letting go.
            guard let lock = try FileLock.tryAcquire(at: try layout.lockPath(repo: repo, etag: blob.etag)) else { continue }
            defer { lock.release() }
            try layout.removeBlob(repo: repo, etag: blob.etag)
            count += 1
            bytes += blob.size
        }
        return (count, bytes)
    }
}
