import Foundation
import GRDB

extension Catalog {
    /// Records a pulled version whose every file is already in the cache and verified, in one
    /// transaction: the model (created or updated), the version (state `installed`), its files and
    /// their blobs. Recording the same name and commit again replaces the earlier record.
    /// If anything fails, nothing is recorded.
    @discardableResult
    public func recordInstalledVersion(_ version: NewVersion) async throws -> InstalledVersion {
        try Self.validate(version)
        let id = try await write("recording \(version.name) at \(version.commit)") { db -> Int64 in
            try db.execute(
                sql: """
                    INSERT INTO models (name, repo, kind) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET repo = excluded.repo, kind = excluded.kind
                    """,
                arguments: [version.name, version.repo, version.kind])
            let modelID = try Int64.fetchOne(db, sql: "SELECT id FROM models WHERE name = ?", arguments: [version.name])!
            try db.execute(sql: "DELETE FROM versions WHERE model_id = ? AND commit_hash = ?",
                           arguments: [modelID, version.commit])
            try db.execute(
                sql: """
                    INSERT INTO versions (model_id, commit_hash, revision, pulled_at, bytes, file_count, state, verified_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'installed', ?)
                    """,
                arguments: [modelID, version.commit, version.revision, version.pulledAt.catalogValue,
                            version.files.reduce(0) { $0 + $1.size }, version.files.count, version.pulledAt.catalogValue])
            let versionID = db.lastInsertedRowID
            for file in version.files {
                try db.execute(
                    sql: "INSERT INTO files (version_id, path, size, sha256, etag, is_lfs) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [versionID, file.path, file.size, file.sha256, file.etag, file.isLFS])
                try db.execute(
                    sql: """
                        INSERT INTO blobs (sha256, etag, size, verified_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(sha256) DO UPDATE SET verified_at = excluded.verified_at
                        """,
                    arguments: [file.sha256, file.etag, file.size, version.pulledAt.catalogValue])
            }
            return versionID
        }
        guard let recorded = try await self.version(id: id) else { throw CatalogError.versionNotFound(id: id) }
        return recorded
    }

    /// Every installed (or broken) version, by name then newest first. One indexed join, no
    /// per-version queries, so it stays fast with hundreds of versions.
    public func installedVersions() async throws -> [InstalledVersion] {
        try await read("listing installed versions") { db in
            try Row.fetchAll(db, sql: Self.versionSelect + " WHERE v.state != 'installing' ORDER BY m.name, v.pulled_at DESC")
                .map(Self.installedVersion)
        }
    }

    /// The versions whose model name or repo id is `nameOrRepo` (all of them when nil), optionally
    /// only those whose commit starts with `commitPrefix`.
    public func findVersions(nameOrRepo: String?, commitPrefix: String? = nil) async throws -> [InstalledVersion] {
        try await read("finding \(nameOrRepo ?? "any model")\(commitPrefix.map { "@\($0)" } ?? "")") { db in
            var conditions = ["v.state != 'installing'"]
            var arguments = StatementArguments()
            if let nameOrRepo {
                conditions.append("(m.name = ? OR m.repo = ?)")
                arguments += [nameOrRepo, nameOrRepo]
            }
            if let commitPrefix {
                conditions.append("substr(v.commit_hash, 1, ?) = ?")
                arguments += [commitPrefix.count, commitPrefix.lowercased()]
            }
            let sql = Self.versionSelect + " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY m.name, v.pulled_at DESC"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.installedVersion)
        }
    }

    /// The version with this id, or nil.
    public func version(id: Int64) async throws -> InstalledVersion? {
        try await read("reading version \(id)") { db in
            try Row.fetchOne(db, sql: Self.versionSelect + " WHERE v.id = ?", arguments: [id]).map(Self.installedVersion)
        }
    }

    /// The files of a version, sorted by path.
    public func files(ofVersion id: Int64) async throws -> [CatalogFile] {
        try await read("reading the files of version \(id)") { db in
            try Row.fetchAll(
                db, sql: "SELECT path, size, sha256, etag, is_lfs FROM files WHERE version_id = ? ORDER BY path",
                arguments: [id]
            ).map { CatalogFile(path: $0["path"], size: $0["size"], sha256: $0["sha256"], etag: $0["etag"], isLFS: $0["is_lfs"]) }
        }
    }

    /// Records the outcome of re-hashing every file of a version: verified now (state
    /// `installed`), or `broken` when a file no longer matches.
    public func recordVerification(ofVersion id: Int64, passed: Bool, at date: Date = Date()) async throws {
        let changed = try await write("recording the verification of version \(id)") { db -> Int in
            if passed {
                try db.execute(sql: "UPDATE versions SET state = 'installed', verified_at = ? WHERE id = ?", arguments: [date.catalogValue, id])
            } else {
                try db.execute(sql: "UPDATE versions SET state = 'broken' WHERE id = ?", arguments: [id])
            }
            return db.changesCount
        }
        if changed == 0 { throw CatalogError.versionNotFound(id: id) }
    }

    /// Records the outcome of a `depot smoke` run of a version.
    public func recordSmoke(ofVersion id: Int64, passed: Bool, detail: String, at date: Date = Date()) async throws {
        let changed = try await write("recording the smoke test of version \(id)") { db -> Int in
            try db.execute(sql: "UPDATE versions SET smoke_passed = ?, smoke_at = ?, smoke_detail = ? WHERE id = ?",
                           arguments: [passed, date.catalogValue, detail, id])
            return db.changesCount
        }
        if changed == 0 { throw CatalogError.versionNotFound(id: id) }
    }

    // MARK: Helpers

    static let versionSelect = """
        SELECT v.id, m.name, m.repo, m.kind, v.commit_hash, v.revision, v.file_count, v.bytes,
               v.pulled_at, v.verified_at, v.state, v.smoke_passed, v.smoke_at
        FROM versions v JOIN models m ON m.id = v.model_id
        """

    static func installedVersion(_ row: Row) -> InstalledVersion {
        InstalledVersion(
            id: row["id"], name: row["name"], repo: row["repo"], kind: row["kind"], commit: row["commit_hash"],
            revision: row["revision"], fileCount: row["file_count"], bytes: row["bytes"], pulledAt: row.date("pulled_at"),
            verifiedAt: row.optionalDate("verified_at"), state: VersionState(rawValue: row["state"]) ?? .broken,
            smokePassed: row["smoke_passed"], smokeAt: row.optionalDate("smoke_at"))
    }

    private static func validate(_ version: NewVersion) throws {
        func invalid(_ reason: String) -> CatalogError { .invalidVersion(name: version.name, reason: reason) }
        if version.name.isEmpty || version.repo.isEmpty { throw invalid("the name and the repo must not be empty") }
        if version.commit.isEmpty { throw invalid("no commit") }
        if version.files.isEmpty { throw invalid("a version needs at least one file") }
        for file in version.files {
            let isHex = file.sha256.count == 64 && file.sha256.allSatisfy { $0.isHexDigit && !$0.isUppercase }
            if !isHex { throw invalid("\(file.path) has no SHA-256 (got '\(file.sha256)'); verify every file before recording") }
            if file.size < 0 { throw invalid("\(file.path) has a negative size") }
        }
    }
}
