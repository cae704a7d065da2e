import DepotPull

/// How a job the caller waited for did not end `done`.
public enum JobWaitError: Error, Sendable, Equatable, CustomStringConvertible {
    case failed(id: Int64, message: String)
    case cancelled(id: Int64)
    /// The daemon stopped first; the job resumes at its next start.
    case interrupted(id: Int64)
    /// The job finished under a depot that did not keep reports yet (catalog before v6).
    case reportUnavailable(id: Int64)

    public var description: String {
        switch self {
        case let .failed(id, message): "job \(id) failed: \(message)"
        case let .cancelled(id): "job \(id) was cancelled"
        case let .interrupted(id): "job \(id) was interrupted because the daemon is stopping; it resumes at the next start"
        case let .reportUnavailable(id): "job \(id) finished under an older depot that kept no report; pull again to get one"
        }
    }
}

extension JobQueue {
    /// Queues (or joins) a pull and waits for it: the daemon's way to pull "as a normal job".
    public func pullAndWait(_ request: PullJobRequest) async throws -> PullReport {
        let (job, _) = try await submit(request)
        for await event in try await events(id: job.id) {
            switch event {
            case .pull, .progress, .bundled: continue
            case .done(_, let report):
                guard let report else { throw JobWaitError.reportUnavailable(id: job.id) }
                return report
            case .failed(let view): throw JobWaitError.failed(id: job.id, message: view.error ?? "unknown error")
            case .cancelled: throw JobWaitError.cancelled(id: job.id)
            }
        }
        throw JobWaitError.interrupted(id: job.id)
    }
}
