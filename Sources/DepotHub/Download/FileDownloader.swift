import Foundation

/// The download is to start over from byte 0 without Range (after a failure the server cannot resume).
private struct RestartRequired: Error {
    var failure: RetryableFailure
}

/// Downloads one file into its partial file: resumable chunks, parallel when the file is large and
/// the server honours Range, hashed while the bytes arrive, verified before it returns.
struct FileDownloader: Sendable {
    let transport: HubTransport
    let url: String
    let request: DownloadRequest
    let progress: (@Sendable (DownloadProgress) -> Void)?
    /// Where the Hub redirected the last chunk request, so further chunks skip that round trip.
    private let redirects = RedirectMemory()
    /// Bytes received by every attempt of this download, restarted ones included.
    private let transferred = ByteTally()

    private var configuration: HubConfiguration { transport.configuration }
    private var subject: RequestSubject {
        RequestSubject(repo: request.repo, revision: request.commit, path: request.path)
    }

    /// On a hash or size mismatch the partial is deleted and the file downloaded once more.
    func run() async throws -> DownloadResult {
        for attempt in 0..<2 {
            do {
                var result = try await downloadResumingOrFresh()
                result.bytesTransferred = transferred.total
                return result
            } catch let failure as VerificationFailure {
                discardPartial()
                if attempt == 1 { throw failure.error }
            }
        }
        preconditionFailure("unreachable")
    }

    private func discardPartial() {
        try? FileManager.default.removeItem(at: request.partialFile)
        ResumeSidecar.remove(for: request.partialFile)
    }

    private func downloadResumingOrFresh() async throws -> DownloadResult {
        var ranged = true
        var restarts = 0
        while true {
            do {
                return try await execute(ranged: ranged)
            } catch is RangeNotHonoured {
                guard ranged else {
                    throw HubError.invalidResponse(url: url, reason: "answered a request without Range as if it had one")
                }
                ranged = false
            } catch let restart as RestartRequired {
                guard restarts < configuration.retry.maxRetries else { throw restart.failure.failure }
                try await HubTransport.backOff(after: restart.failure, retry: restarts, policy: configuration.retry)
                restarts += 1
            }
        }
    }

    /// Resumes from the sidecar when ranged requests are allowed, else starts from byte 0.
    private func plan(ranged: Bool) -> ResumeSidecar {
        let etag = request.expectedHash.hex
        if ranged, let existing = ResumeSidecar.load(for: request.partialFile, etag: etag, size: request.size) {
            return existing
        }
        let parallel = ranged && configuration.connections > 1 && request.size >= configuration.parallelThreshold
        return ResumeSidecar.plan(etag: etag, size: request.size, chunkSize: parallel ? configuration.chunkSize : nil)
    }

    private func execute(ranged: Bool) async throws -> DownloadResult {
        let sidecar = plan(ranged: ranged)
        let resumed = sidecar.bytesDone
        if resumed > 0 {
            hubLogger.info("resuming \(request.path) at \(resumed) of \(request.size) bytes from \(request.partialFile.path)")
        }
        let partialPath = request.partialFile.path
        let descriptor = open(partialPath, O_RDWR | O_CREAT | (resumed == 0 ? O_TRUNC : 0), 0o644)
        guard descriptor >= 0 else {
            throw HubError.fileSystem(path: partialPath, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        try sidecar.save(for: request.partialFile)

        let state = DownloadState(sidecar: sidecar, partial: request.partialFile, path: request.path, progress: progress)
        state.reportStart()
        let withGitSHA1: Bool
        if case .gitBlobSHA1 = request.expectedHash { withGitSHA1 = true } else { withGitSHA1 = false }
        async let digests = BlockingBoundary.run {
            PrefixHasher.hash(fileDescriptor: descriptor, state: state, withGitSHA1: withGitSHA1)
        }
        let workers = min(configuration.connections, sidecar.chunks.filter { !$0.isComplete }.count)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, workers) {
                    group.addTask { try await self.work(state: state, descriptor: descriptor, ranged: ranged) }
                }
                try await group.waitForAll()
            }
        } catch {
            state.stop()
            _ = await digests
            try? state.save()
            transferred.add(state.bytesTransferred)
            throw error
        }
        transferred.add(state.bytesTransferred)
        guard let digests = await digests else {
            throw HubError.fileSystem(path: partialPath, reason: "cannot read back the partial file to hash it")
        }
        try verify(descriptor: descriptor, digests: digests)
        ResumeSidecar.remove(for: request.partialFile)
        return DownloadResult(
            partialFile: request.partialFile, size: request.size, sha256: digests.sha256,
            bytesTransferred: state.bytesTransferred, bytesResumed: resumed)
    }

    private func verify(descriptor: Int32, digests: PrefixHasher.Digests) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw HubError.fileSystem(path: request.partialFile.path, reason: String(cString: strerror(errno)))
        }
        if Int64(info.st_size) != request.size {
            throw VerificationFailure(
                error: .sizeMismatch(path: request.path, expected: request.size, actual: Int64(info.st_size)))
        }
        let actual: String
        switch request.expectedHash {
        case .sha256: actual = digests.sha256
        case .gitBlobSHA1: actual = digests.gitBlobSHA1 ?? ""
        }
        if actual != request.expectedHash.hex.lowercased() {
            throw VerificationFailure(
                error: .hashMismatch(
                    path: request.path, algorithm: request.expectedHash.algorithm,
                    expected: request.expectedHash.hex, actual: actual))
        }
    }

    /// One connection: takes chunks in file order until none is left.
    private func work(state: DownloadState, descriptor: Int32, ranged: Bool) async throws {
        let handle = CurlHandle()
        while let index = state.claimNextChunk() {
            try await fetch(chunk: index, state: state, descriptor: descriptor, ranged: ranged, handle: handle)
        }
    }

    /// Fetches what is missing of one chunk, resuming it with Range after transient failures.
    private func fetch(chunk index: Int, state: DownloadState, descriptor: Int32, ranged: Bool, handle: CurlHandle) async throws {
        var failures = 0
        while true {
            try Task.checkCancellation()
            let chunk = state.chunk(index)
            if chunk.isComplete { return }
            let offset = chunk.start + chunk.done
            let wholeFile = offset == 0 && chunk.length == request.size
            let headers = ranged && !wholeFile ? ["Range: bytes=\(offset)-\(chunk.start + chunk.length - 1)"] : []
            let sink = ChunkSink(state: state, index: index, fileDescriptor: descriptor, sentRange: !headers.isEmpty)
            let target = redirects.target ?? url
            do {
                let response = try await transport.send(
                    .get, url: target, headers: headers, subject: subject, sink: sink, handle: handle, passThrough: [416])
                if response.url != url { redirects.remember(response.url) }
                if response.status == 416 { throw RangeNotHonoured() }
                if state.chunk(index).isComplete { return }
                throw RetryableFailure(failure: .transport(
                    url: response.url, message: "the body ended \(chunk.length - state.chunk(index).done) bytes early"))
            } catch is HubError where target != url {
                // The remembered target (a signed CDN URL) may have expired: ask the Hub again.
                redirects.forget()
            } catch let failure as RetryableFailure {
                redirects.forget()
                guard ranged else { throw RestartRequired(failure: failure) }
                // A failure after progress starts the count again: a flaky link still finishes.
                failures = state.chunk(index).done > chunk.done ? 1 : failures + 1
                guard failures <= configuration.retry.maxRetries else { throw failure.failure }
                try await HubTransport.backOff(after: failure, retry: failures - 1, policy: configuration.retry)
            }
        }
    }
}

/// The bytes arrived but are not the expected ones.
struct VerificationFailure: Error {
    var error: HubError
}

/// The final URL of a redirected download, shared by its connections.
final class RedirectMemory: @unchecked Sendable {
    private let lock = NSLock()
    private var remembered: String?

    var target: String? { lock.withLock { remembered } }
    func remember(_ url: String) { lock.withLock { remembered = url } }
    func forget() { lock.withLock { remembered = nil } }
}

/// A running sum shared by a download's attempts.
final class ByteTally: @unchecked Sendable {
    private let lock = NSLock()
    private var sum: Int64 = 0

    var total: Int64 { lock.withLock { sum } }
    func add(_ count: Int64) { lock.withLock { sum += count } }
}
