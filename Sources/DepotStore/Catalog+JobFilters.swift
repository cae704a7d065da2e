import Foundation
import GRDB

/// The user's `--include` / `--exclude` globs of a queued pull, kept so a restarted daemon pulls the same files.
public struct JobFilters: Sendable, Codable, Equatable, Hashable {
    public var include: [String]
    public var exclude: [String]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }
}

extension Catalog {
    /// Queues a pull with file filters; returns the new job (state `queued`).
    public func enqueueJob(model: String, revision: String, filters: JobFilters, at date: Date = Date()) async throws -> Job {
        let text = String(decoding: try JSONEncoder().encode(filters), as: UTF8.self)
        let id = try await write("queueing a pull of \(model)") { db -> Int64 in
            try db.execute(
                sql: """
                    INSERT INTO jobs (model, revision, state, bytes_done, created_at, updated_at, filters)
                    VALUES (?, ?, 'queued', 0, ?, ?, ?)
                    """,
                arguments: [model, revision, date.catalogValue, date.catalogValue, text])
            return db.lastInsertedRowID
        }
        guard let job = try await job(id: id) else { throw CatalogError.jobNotFound(id: id) }
        return job
    }

    /// The filters a job was queued with (none for jobs queued without them).
    public func jobFilters(id: Int64) async throws -> JobFilters {
        let text = try await read("reading the file filters of job \(id)") { db in
            try String.fetchOne(db, sql: "SELECT filters FROM jobs WHERE id = ?", arguments: [id])
        }
        guard let text, let filters = try? JSONDecoder().decode(JobFilters.self, from: Data(text.utf8)) else { return JobFilters() }
        return filters
    }
}
