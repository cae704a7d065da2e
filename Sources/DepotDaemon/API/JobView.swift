import DepotStore
import Foundation

/// A job as the API shows it (`GET /v1/jobs/{id}`): the catalog record plus live progress.
public struct JobView: Sendable, Codable, Equatable {
    public var id: Int64
    /// `pull` or `bundle`.
    public var kind: JobKind
    /// The resolved model name (`sd-1.5`, `org/repo`); for a bundle, the name as asked.
    public var name: String
    /// The revision pulled; empty for a bundle.
    public var revision: String
    /// The folder a bundle job writes.
    public var output: String?
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
        case id, kind, name, revision, output, include, exclude, state, rate, commit, error
        case bytesDone = "bytes_done", bytesTotal = "bytes_total"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    public var isFinished: Bool { [.done, .failed, .cancelled].contains(state) }

    init(job: Job, filters: JobFilters, output: String? = nil, rate: Double? = nil, commit: String? = nil) {
        id = job.id
        kind = job.kind
        name = job.model
        revision = job.revision
        self.output = output
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
