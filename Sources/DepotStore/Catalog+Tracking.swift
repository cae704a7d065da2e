import Foundation
import GRDB

/// Tracked models and pinned versions: what `depot track`, `depot pin` and the daemon's sync use.
extension Catalog {
    /// The tables of migration v5. Pins name a model by its catalog name and keep their row when
    /// the version goes away, so re-pulling that commit makes it pinned again.
    static let trackingSchema = """
        CREATE TABLE tracks (
            name TEXT PRIMARY KEY NOT NULL,
            interval_seconds INTEGER NOT NULL CHECK (interval_seconds > 0),
            keep INTEGER NOT NULL CHECK (keep > 0),
            tracked_at DATETIME NOT NULL,
            next_check_at DATETIME NOT NULL,
            last_checked_at DATETIME,
            last_commit TEXT,
            last_error TEXT
        );
        CREATE TABLE pins (
            name TEXT NOT NULL,
            commit_hash TEXT NOT NULL,
            pinned_at DATETIME NOT NULL,
            PRIMARY KEY (name, commit_hash)
        );
        """

    /// Starts tracking `name`, or changes the schedule and retention of an existing track (its
    /// history stays). A new track is due at once.
    @discardableResult
    public func track(name: String, intervalSeconds: Int, keep: Int, at date: Date = Date()) async throws -> TrackedModel {
        try await write("tracking \(name)") { db -> TrackedModel in
            try db.execute(
                sql: """
                    INSERT INTO tracks (name, interval_seconds, keep, tracked_at, next_check_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET interval_seconds = excluded.interval_seconds, keep = excluded.keep,
                        next_check_at = min(tracks.next_check_at, excluded.next_check_at)
                    """,
                arguments: [name, intervalSeconds, keep, date.catalogValue, date.catalogValue])
            return try Row.fetchOne(db, sql: "SELECT * FROM tracks WHERE name = ?", arguments: [name]).map(Self.trackedModel)!
        }
    }

    /// Stops tracking `name`; false when it was not tracked. Installed versions stay.
    public func untrack(name: String) async throws -> Bool {
        try await write("untracking \(name)") { db -> Bool in
            try db.execute(sql: "DELETE FROM tracks WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    /// Every tracked model, by name.
    public func trackedModels() async throws -> [TrackedModel] {
        try await read("listing tracked models") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tracks ORDER BY name").map(Self.trackedModel)
        }
    }

    /// The track of `name`, or nil.
    public func trackedModel(name: String) async throws -> TrackedModel? {
        try await read("reading the track of \(name)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tracks WHERE name = ?", arguments: [name]).map(Self.trackedModel)
        }
    }

    /// Records a sync check of `name`. A track removed meanwhile is left removed.
    public func recordCheck(ofTrack name: String, _ check: TrackCheck) async throws {
        try await write("recording the sync check of \(name)") { db in
            try db.execute(
                sql: """
                    UPDATE tracks SET last_checked_at = ?, next_check_at = ?, last_commit = coalesce(?, last_commit), last_error = ?
                    WHERE name = ?
                    """,
                arguments: [check.checkedAt.catalogValue, check.nextCheckAt.catalogValue, check.commit, check.error, name])
        }
    }

    /// Pins the version `commit` of the model `name` (catalog name, full commit). Pinning twice
    /// keeps the first date.
    @discardableResult
    public func pin(name: String, commit: String, at date: Date = Date()) async throws -> PinnedVersion {
        try await write("pinning \(name)@\(commit)") { db -> PinnedVersion in
            try db.execute(sql: "INSERT INTO pins (name, commit_hash, pinned_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [name, commit, date.catalogValue])
            let row = try Row.fetchOne(db, sql: "SELECT * FROM pins WHERE name = ? AND commit_hash = ?", arguments: [name, commit])!
            return Self.pinnedVersion(row)
        }
    }

    /// Removes a pin; false when there was none.
    public func unpin(name: String, commit: String) async throws -> Bool {
        try await write("unpinning \(name)@\(commit)") { db -> Bool in
            try db.execute(sql: "DELETE FROM pins WHERE name = ? AND commit_hash = ?", arguments: [name, commit])
            return db.changesCount > 0
        }
    }

    /// Every pin, by name then commit.
    public func pinnedVersions() async throws -> [PinnedVersion] {
        try await read("listing pinned versions") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM pins ORDER BY name, commit_hash").map(Self.pinnedVersion)
        }
    }

    /// The pinned commits of the model `name`.
    public func pinnedCommits(name: String) async throws -> Set<String> {
        try await read("reading the pins of \(name)") { db in
            Set(try String.fetchAll(db, sql: "SELECT commit_hash FROM pins WHERE name = ?", arguments: [name]))
        }
    }

    private static func trackedModel(_ row: Row) -> TrackedModel {
        TrackedModel(name: row["name"], intervalSeconds: row["interval_seconds"], keep: row["keep"], trackedAt: row.date("tracked_at"),
                     nextCheckAt: row.date("next_check_at"), lastCheckedAt: row.optionalDate("last_checked_at"), lastCommit: row["last_commit"],
                     lastError: row["last_error"])
    }

    private static func pinnedVersion(_ row: Row) -> PinnedVersion {
        PinnedVersion(name: row["name"], commit: row["commit_hash"], pinnedAt: row.date("pinned_at"))
    }
}
