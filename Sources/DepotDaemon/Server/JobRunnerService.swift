import ServiceLifecycle

/// Runs the job queue as a service: picks up the jobs a previous daemon left, and on shutdown
/// stops running pulls so they save their partial files and resume at the next start.
public struct JobRunnerService: Service {
    public let queue: JobQueue

    public init(queue: JobQueue) { self.queue = queue }

    public func run() async throws {
        try await queue.resumeUnfinished()
        try? await gracefulShutdown()
        await queue.stop()
    }
}
