import Foundation
import GRDB

extension Catalog {
    /// Queues a pull; returns the new job (state `queued`).
    public func enqueueJob(model: String, revision: String, at date: Date = Date()) async throws -> Job {
        let id = try await write("queueing a pull of \(model)") { db -> Int64 in
            try db.execute(
                sql: "INSERT INTO jobs (model, revision, state, bytes_done, created_at, updated_at) VALUES (?, ?, 'queued', 0, ?, ?)",
                arguments: [model, revision, date.catalogValue, date.catalogValue])
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
                arguments: [state.rawValue, bytesDone, bytesTotal, error, date.catalogValue, id])
            return db.changesCount
        }
        if changed == 0 { throw CatalogError.jobNotFound(id: id) }
    }

    /// Records a job's state and totals with the commit it pulls (once known) and, when it ended
    /// `done`, its report (the JSON the API sends with `done`), in one statement.
    public func updateJob(id: Int64, state: JobState, bytesDone: Int64, bytesTotal: Int64?, error: String? = nil,
                          commit: String?, report: Data?, at date: Date = Date()) async throws {
        let reportText = report.map { String(decoding: $0, as: UTF8.self) }
        let changed = try await write("updating job \(id)") { db -> Int in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = ?, bytes_done = ?, bytes_total = ?, error = ?, updated_at = ?,
                        commit_hash = ?, report = ? WHERE id = ?
                    """,
                arguments: [state.rawValue, bytesDone, bytesTotal, error, date.catalogValue, commit, reportText, id])
            return db.changesCount
        }
        if changed == 0 { throw CatalogError.jobNotFound(id: id) }
    }

    /// Queues a job of another kind than a pull, with what it was asked as JSON (returned by `jobRequest(id:)`).
    public func enqueueJob(kind: JobKind, model: String, revision: String, request: Data, at date: Date = Date()) async throws -> Job {
        let text = String(decoding: request, as: UTF8.self)
        let id = try await write("queueing a \(kind.rawValue) of \(model)") { db -> Int64 in
            try db.execute(
                sql: """
                    INSERT INTO jobs (model, revision, state, bytes_done, created_at, updated_at, kind, request)
                    VALUES (?, ?, 'queued', 0, ?, ?, ?, ?)
                    """,
                arguments: [model, revision, date.catalogValue, date.catalogValue, kind.rawValue, text])
            return db.lastInsertedRowID
        }
        guard let job = try await job(id: id) else { throw CatalogError.jobNotFound(id: id) }
        return job
    }

    /// What a job of another kind than a pull was asked (JSON), nil for pulls.
    public func jobRequest(id: Int64) async throws -> Data? {
        try await read("reading the request of job \(id)") { db in
            try String.fetchOne(db, sql: "SELECT request FROM jobs WHERE id = ?", arguments: [id]).map { Data($0.utf8) }
        }
    }

    /// The report a finished job recorded, nil when it has none (not done, or done before reports were kept).
    public func jobReport(id: Int64) async throws -> Data? {
        try await read("reading the report of job \(id)") { db in
            try String.fetchOne(db, sql: "SELECT report FROM jobs WHERE id = ?", arguments: [id]).map { Data($0.utf8) }
        }
    }

    /// The job with this id, or nil.
    public func job(id: Int64) async throws -> Job? {
        try await read("reading job \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.jobColumns) FROM jobs WHERE id = ?", arguments: [id]).map(Self.job)
        }
    }

    /// Jobs in any of `states` (all when empty), oldest first.
    public func jobs(in states: [JobState] = []) async throws -> [Job] {
        try await read("listing jobs") { db in
            if states.isEmpty {
                return try Row.fetchAll(db, sql: "SELECT \(Self.jobColumns) FROM jobs ORDER BY id").map(Self.job)
            }
            let marks = Array(repeating: "?", count: states.count).joined(separator: ", ")
            return try Row.fetchAll(db, sql: "SELECT \(Self.jobColumns) FROM jobs WHERE state IN (\(marks)) ORDER BY id",
                                    arguments: StatementArguments(states.map(\.rawValue))).map(Self.job)
        }
    }

    /// Everything of a job but its report, which only `jobReport(id:)` reads.
    private static let jobColumns = "id, model, revision, state, bytes_done, bytes_total, created_at, updated_at, error, commit_hash, kind"

    private static func job(_ row: Row) -> Job {
        Job(id: row["id"], model: row["model"], revision: row["revision"],
            state: JobState(rawValue: row["state"]) ?? .failed, bytesDone: row["bytes_done"], bytesTotal: row["bytes_total"],
            createdAt: row.date("created_at"), updatedAt: row.date("updated_at"), error: row["error"], commit: row["commit_hash"],
            kind: JobKind(rawValue: row["kind"]) ?? .pull)
    }
}
