import DepotPull

/// How the sync asks for a pull. The daemon's job queue conforms (the pull becomes a normal job,
/// joins a running one for the same model and revision, shows in `depot status`);
/// `DirectPullSubmitter` pulls in-process when no daemon runs (and in tests).
public protocol PullJobSubmitting: Sendable {
    /// Pulls `name` (a registry name or repo id, without `@`) at `revision` (nil: the name's
    /// default revision) and returns once that pull finished, with the commit it installed.
    /// Throws when the pull failed or was cancelled.
    func submitPull(name: String, revision: String?) async throws -> String
}

/// Pulls in this process through `DepotService.pull`, as `depot pull` without a daemon does.
public struct DirectPullSubmitter: PullJobSubmitting {
    public let service: DepotService

    public init(service: DepotService) {
        self.service = service
    }

    public func submitPull(name: String, revision: String?) async throws -> String {
        let reference = revision.map { "\(name)@\($0)" } ?? name
        return try await service.pull(try service.resolve(reference)).commit
    }
}
