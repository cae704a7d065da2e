import DepotStore
import Foundation

/// A job as the API shows it (`GET /v1/jobs/{id}`): the catalog record plus live progress.
public struct JobView: Sendable, Codable, Equatable {
    public var id: Int64
    /// The resolved model name (`sd-1.5`, `org/repo`).
    public var name: String
    public var revision: String
    public var include: [String]
    public var exclude: [String]
    public var state: JobState
    public var bytesDone: Int64
    public var bytesTotal: Int64?
    /// Bytes per second over the last few seconds, while running.
    public var rate: Double?
    /// The commit the revision resolved to, once known.
    public var commit: String?
    public var error: String?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, revision, include, exclude, state, rate, commit, error
        case bytesDone = "bytes_done", bytesTotal = "bytes_total"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    public var isFinished: Bool { [.done, .failed, .cancelled].contains(state) }

    init(job: Job, filters: JobFilters, rate: Double? = nil, commit: String? = nil) {
        id = job.id
        name = job.model
        revision = job.revision
        include = filters.include
        exclude = filters.exclude
        state = job.state
        bytesDone = job.bytesDone
        bytesTotal = job.bytesTotal
        self.rate = rate
        self.commit = commit ?? job.commit
        error = job.error
        createdAt = job.createdAt
        updatedAt = job.updatedAt
    }
}
