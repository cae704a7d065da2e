import Foundation
import GRDB

extension Catalog {
    /// Queues a pull; returns the new job (state `queued`).
    public func enqueueJob(model: String, revision: String, at date: Date = Date()) async throws -> Job {
        let id = try await write("queueing a pull of \(model)") { db -> Int64 in
            try db.execute(
                sql: "INSERT INTO jobs (model, revision, state, bytes_done, created_at, updated_at) VALUES (?, ?, 'queued', 0, ?, ?)",
                arguments: [model, revision, date, date])
            return db.lastInsertedRowID
        }
        guard let job = try await job(id: id) else { throw CatalogError.jobNotFound(id: id) }
        return job
    }

    /// Records a job's progress or outcome.
    public func updateJob(id: Int64, state: JobState, bytesDone: Int64, bytesTotal: Int64?, error: String? = nil,
                          at date: Date = Date()) async throws {
        let changed = try await write("updating job \(id)") { db -> Int in
            try db.execute(
                sql: "UPDATE jobs SET state = ?, bytes_done = ?, bytes_total = ?, error = ?, updated_at = ? WHERE id = ?",
                arguments: [state.rawValue, bytesDone, bytesTotal, error, date, id])
            return db.changesCount
        }
        if changed == 0 { throw CatalogError.jobNotFound(id: id) }
    }

    /// The job with this id, or nil.
    public func job(id: Int64) async throws -> Job? {
        try await read("reading job \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(Self.job)
        }
    }

    /// Jobs in any of `states` (all when empty), oldest first.
    public func jobs(in states: [JobState] = []) async throws -> [Job] {
        try await read("listing jobs") { db in
            if states.isEmpty {
                return try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY id").map(Self.job)
            }
            let marks = Array(repeating: "?", count: states.count).joined(separator: ", ")
            return try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE state IN (\(marks)) ORDER BY id",
                                    arguments: StatementArguments(states.map(\.rawValue))).map(Self.job)
        }
    }

    private static func job(_ row: Row) -> Job {
        Job(id: row["id"], model: row["model"], revision: row["revision"],
            state: JobState(rawValue: row["state"]) ?? .failed, bytesDone: row["bytes_done"], bytesTotal: row["bytes_total"],
            createdAt: row["created_at"], updatedAt: row["updated_at"], error: row["error"])
    }
}
