extension HubClient {
    /// Downloads `/{repo}/resolve/{commit}/{path}` into `request.partialFile` and verifies it.
    ///
    /// - Resumes from `<partialFile>.resume.json` when it describes the same file; a server that
    ///   ignores Range (200, or 416) makes it start over cleanly from byte 0.
    /// - Files of `parallelThreshold` bytes or more are fetched as ranged chunks over
    ///   `connections` connections; each chunk is resumable.
    /// - SHA-256 (and, for non-LFS files, the git blob sha1) is computed while bytes arrive; the
    ///   size and expected hash are checked at the end. On a mismatch the partial is deleted and
    ///   the file downloaded once more; a second mismatch throws `HubError.hashMismatch`.
    /// - Transient failures are retried; cancelling the task leaves the partial and its sidecar
    ///   for the next call.
    ///
    /// On success the partial file holds the verified bytes (the caller renames it into place) and
    /// the sidecar is gone. `progress` is called on transfer threads; keep it quick.
    public func download(
        _ request: DownloadRequest, progress: (@Sendable (DownloadProgress) -> Void)? = nil
    ) async throws -> DownloadResult {
        let url = urls.resolve(repo: request.repo, revision: request.commit, path: request.path)
        return try await FileDownloader(transport: transport, url: url, request: request, progress: progress).run()
    }
}
