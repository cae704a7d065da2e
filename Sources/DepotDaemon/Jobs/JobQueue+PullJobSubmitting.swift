import DepotSync

/// The sync pulls a tracked model's new commit as a normal job of this queue: it shows in
/// `depot status`, and joins a job already pulling the same model and revision.
extension JobQueue: PullJobSubmitting {
    public nonisolated func submitPull(name: String, revision: String?) async throws -> String {
        try await pullAndWait(PullJobRequest(name: name, revision: revision)).commit
    }
}
