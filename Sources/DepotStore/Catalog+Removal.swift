import GRDB

extension Catalog {
    /// Removes a version in one transaction and reports what in the cache it alone used: snapshot
    /// paths, whether the snapshot folder is unused, and blobs no other version of the repo uses.
    /// The model row goes too when it has no version left.
    public func removeVersion(id: Int64) async throws -> RemovedVersion {
        guard let version = try await version(id: id) else { throw CatalogError.versionNotFound(id: id) }
        return try await write("removing \(version.name) at \(version.commit)") { db in
            let removedFiles = try Row.fetchAll(db, sql: "SELECT path, etag, sha256 FROM files WHERE version_id = ?", arguments: [id])
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM versions WHERE id = ?", arguments: [id]) == 1 else {
                throw CatalogError.versionNotFound(id: id)
            }
            try db.execute(sql: "DELETE FROM versions WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM models WHERE NOT EXISTS (SELECT 1 FROM versions WHERE model_id = models.id)")

            let sameSnapshot = """
                FROM files f JOIN versions v ON v.id = f.version_id JOIN models m ON m.id = v.model_id
                WHERE m.repo = ? AND v.commit_hash = ?
                """
            let stillListed = Set(try String.fetchAll(db, sql: "SELECT f.path " + sameSnapshot, arguments: [version.repo, version.commit]))
            let snapshotUnused = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM versions v JOIN models m ON m.id = v.model_id WHERE m.repo = ? AND v.commit_hash = ?",
                arguments: [version.repo, version.commit]) == 0

            var unusedBlobs: [UnusedBlob] = []
            for etag in Set(removedFiles.map { $0["etag"] as String }).sorted() {
                let used = try Bool.fetchOne(db, sql: """
                    SELECT EXISTS (SELECT 1 FROM files f JOIN versions v ON v.id = f.version_id
                                   JOIN models m ON m.id = v.model_id WHERE f.etag = ? AND m.repo = ?)
                    """, arguments: [etag, version.repo]) ?? false
                if !used { unusedBlobs.append(UnusedBlob(repo: version.repo, etag: etag)) }
            }
            for sha256 in Set(removedFiles.map { $0["sha256"] as String }) {
                try db.execute(sql: "DELETE FROM blobs WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM files WHERE sha256 = ?)",
                               arguments: [sha256, sha256])
            }
            let unusedPaths = removedFiles.map { $0["path"] as String }.filter { !stillListed.contains($0) }.sorted()
            return RemovedVersion(version: version, unusedSnapshotPaths: unusedPaths,
                                  snapshotUnused: snapshotUnused, unusedBlobs: unusedBlobs)
        }
    }

    /// For `depot gc`: the etags each repo's recorded versions use. A blob of the cache that is
    /// not listed here is unused by depot (it may still be used by a huggingface_hub snapshot:
    /// check ``CacheLayout/snapshotFiles(repo:commit:)`` before deleting).
    public func referencedBlobs() async throws -> [String: Set<String>] {
        try await read("listing the blobs recorded versions use") { db in
            var byRepo: [String: Set<String>] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT DISTINCT m.repo, f.etag FROM files f
                JOIN versions v ON v.id = f.version_id JOIN models m ON m.id = v.model_id
                """)
            for row in rows { byRepo[row["repo"], default: []].insert(row["etag"]) }
            return byRepo
        }
    }

    /// Blob records (by SHA-256) that no file of any version refers to; ``pruneBlobRecords()``
    /// deletes them.
    public func unreferencedBlobRecords() async throws -> [String] {
        try await read("finding unreferenced blob records") { db in
            try String.fetchAll(db, sql: """
                SELECT sha256 FROM blobs WHERE NOT EXISTS (SELECT 1 FROM files WHERE files.sha256 = blobs.sha256) ORDER BY sha256
                """)
        }
    }

    /// Deletes blob records no file refers to; returns how many went.
    @discardableResult
    public func pruneBlobRecords() async throws -> Int {
        try await write("pruning blob records") { db in
            try db.execute(sql: "DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM files WHERE files.sha256 = blobs.sha256)")
            return db.changesCount
        }
    }
}
