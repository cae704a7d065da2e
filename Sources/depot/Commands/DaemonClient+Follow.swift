import DepotDaemon

extension DaemonClient {
    /// Follows a job's events until its last one, rendering pull progress on `display`: returns the
    /// `done` or `bundled` event, throws for a failed or cancelled job. Interrupting this leaves the
    /// job running in the daemon.
    func follow(_ job: JobView, on display: ProgressDisplay) async throws -> JobEvent {
        for try await event in events(jobID: job.id) {
            switch event {
            case .pull(let wire):
                if let pullEvent = wire.pullEvent { display.show(pullEvent) }
            case .progress:
                continue
            case .done, .bundled:
                return event
            case .failed(let ended), .cancelled(let ended):
                throw DaemonClientError.api(status: 200, code: ended.state.rawValue, message: ended.error ?? "job \(ended.id) was cancelled")
            }
        }
        throw DaemonClientError.interrupted(jobID: job.id)
    }

    /// The error for a finished job whose report the daemon no longer has.
    static func reportMissing(job: JobView, rerun command: String) -> DaemonClientError {
        .invalidResponse(path: "/v1/jobs/\(job.id)/events", reason: "the job finished before this daemon started; run the \(command) again")
    }
}
