import DepotBundle
import DepotPull
import Foundation

/// One server-sent event of `GET /v1/jobs/{id}/events`: the pull's own progress events, a
/// periodic job snapshot, and a last event saying how the job ended.
public enum JobEvent: Sendable {
    case pull(WirePullEvent)
    /// The job's state and totals (sent first, then about once a second).
    case progress(JobView)
    /// The job finished; the report is there unless the daemon restarted since it ran.
    case done(JobView, PullReport?)
    /// A bundle job finished; the report is the `depot bundle --json` object.
    case bundled(JobView, BundleReport?)
    case failed(JobView)
    case cancelled(JobView)

    /// The SSE `event:` name.
    public var name: String {
        switch self {
        case .pull(let event): event.kind.rawValue
        case .progress: "progress"
        case .done, .bundled: "done"
        case .failed: "failed"
        case .cancelled: "cancelled"
        }
    }

    public var isLast: Bool {
        switch self {
        case .pull, .progress: false
        case .done, .bundled, .failed, .cancelled: true
        }
    }

    /// The event as SSE text: `event:` and one `data:` line of JSON.
    func serverSentText() throws -> String {
        let encoder = DaemonJSON.encoder()
        let data: Data
        switch self {
        case .pull(let event): data = try encoder.encode(event)
        case .progress(let job), .failed(let job), .cancelled(let job): data = try encoder.encode(job)
        case .done(let job, let report): data = try encoder.encode(FinishedJob(job: job, report: report))
        case .bundled(let job, let report): data = try encoder.encode(FinishedJob(job: job, report: report))
        }
        return "event: \(name)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }

    /// Reads an event back from its SSE name and data.
    public init?(name: String, data: Data) throws {
        let decoder = DaemonJSON.decoder()
        switch name {
        case "progress": self = .progress(try decoder.decode(JobView.self, from: data))
        case "done":
            let job = try decoder.decode(FinishedJobHead.self, from: data).job
            switch job.kind {
            case .pull: self = .done(job, try decoder.decode(FinishedJob<PullReport>.self, from: data).report)
            case .bundle: self = .bundled(job, try decoder.decode(FinishedJob<BundleReport>.self, from: data).report)
            }
        case "failed": self = .failed(try decoder.decode(JobView.self, from: data))
        case "cancelled": self = .cancelled(try decoder.decode(JobView.self, from: data))
        default:
            guard WirePullEvent.Kind(rawValue: name) != nil else { return nil }
            self = .pull(try decoder.decode(WirePullEvent.self, from: data))
        }
    }
}

/// The data of a `done` event: the job and the report of its kind.
struct FinishedJob<Report: Codable>: Codable {
    var job: JobView
    var report: Report?
}

/// The job of a `done` event, read first: its kind says which report follows.
struct FinishedJobHead: Decodable {
    var job: JobView
}

/// A `PullEvent` as JSON, so a client renders the same progress the in-process pull shows.
public struct WirePullEvent: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case planned, fileStarted = "file_started", fileProgress = "file_progress"
        case fileFinished = "file_finished", waitingForLock = "waiting_for_lock"
    }

    public var kind: Kind
    public var repo: String?
    public var commit: String?
    public var files: Int?
    public var path: String?
    public var bytes: Int64?
    public var completed: Int64?
    public var status: PulledFile.Status?

    public init(_ event: PullEvent) {
        switch event {
        case let .planned(repo, commit, files, bytes):
            self.init(kind: .planned, repo: repo, commit: commit, files: files, bytes: bytes)
        case let .fileStarted(path, size):
            self.init(kind: .fileStarted, path: path, bytes: size)
        case let .fileProgress(path, completed, total):
            self.init(kind: .fileProgress, path: path, bytes: total, completed: completed)
        case let .fileFinished(path, size, status):
            self.init(kind: .fileFinished, path: path, bytes: size, status: status)
        case let .waitingForLock(path):
            self.init(kind: .waitingForLock, path: path)
        }
    }

    init(kind: Kind, repo: String? = nil, commit: String? = nil, files: Int? = nil, path: String? = nil,
         bytes: Int64? = nil, completed: Int64? = nil, status: PulledFile.Status? = nil) {
        self.kind = kind
        self.repo = repo
        self.commit = commit
        self.files = files
        self.path = path
        self.bytes = bytes
        self.completed = completed
        self.status = status
    }

    /// The pull event again, nil when a field it needs is missing.
    public var pullEvent: PullEvent? {
        switch kind {
        case .planned:
            guard let repo, let commit, let files, let bytes else { return nil }
            return .planned(repo: repo, commit: commit, files: files, bytes: bytes)
        case .fileStarted:
            guard let path, let bytes else { return nil }
            return .fileStarted(path: path, size: bytes)
        case .fileProgress:
            guard let path, let bytes, let completed else { return nil }
            return .fileProgress(path: path, completed: completed, total: bytes)
        case .fileFinished:
            guard let path, let bytes, let status else { return nil }
            return .fileFinished(path: path, size: bytes, status: status)
        case .waitingForLock:
            guard let path else { return nil }
            return .waitingForLock(path: path)
        }
    }
}
