import Foundation
import Logging

/// DepotHub's diagnostics: retries at warning, resumes at info (the CLI shows warnings by default).
let hubLogger = Logger(label: "depot.hub")

/// What a request is about, so an error status becomes the right `HubError`.
struct RequestSubject: Sendable {
    var repo: String
    var revision: String?
    var path: String?
}

/// A failure worth retrying (connection error, stall, 408, 429, 5xx); `failure` is what the
/// user sees when the retries run out.
struct RetryableFailure: Error, Sendable {
    var failure: HubError
    var retryAfter: Double?
}

/// Sends requests to the Hub: authorization, redirects, error statuses, retries.
struct HubTransport: Sendable {
    let configuration: HubConfiguration

    private static let maxRedirects = 10

    /// One attempt, following redirects. Authorization goes only to the endpoint's host and is
    /// dropped once a redirect leaves it. With `followCrossHost` false, a redirect to another host
    /// is returned as is (a HEAD reads the Hub's headers on it, not the CDN's).
    /// Statuses in `passThrough` are returned; other error statuses throw `HubError`, or
    /// `RetryableFailure` for transient ones, as do transient connection errors.
    func send(
        _ method: HTTPMethod, url: String, headers: [String] = [], subject: RequestSubject,
        sink: (any BodySink)? = nil, handle: CurlHandle = CurlHandle(),
        followCrossHost: Bool = true, passThrough: Set<Int> = []
    ) async throws -> HTTPResponse {
        let endpointAuthority = HubURLs.authority(of: configuration.endpoint)
        var current = url
        var authorized = configuration.token != nil && HubURLs.authority(of: url) == endpointAuthority
        for _ in 0...Self.maxRedirects {
            // Sizes and hashes are of the bytes as stored: never let a server compress them.
            var lines = headers + ["Accept-Encoding: identity"]
            if authorized, let token = configuration.token { lines.append("Authorization: Bearer \(token)") }
            let request = HTTPRequest(
                url: current, method: method, headers: lines, userAgent: configuration.userAgent,
                stallSeconds: configuration.stallSeconds)
            let response: HTTPResponse
            do {
                response = try await handle.perform(request, sink: sink)
            } catch let error as TransportError {
                let failure = HubError.transport(url: current, message: error.message)
                if error.isTransient { throw RetryableFailure(failure: failure) }
                throw failure
            }
            if (300..<400).contains(response.status), response.status != 304, let location = response.headers["Location"] {
                guard let next = HubURLs.resolve(location, against: current) else {
                    throw HubError.invalidResponse(url: current, reason: "unreadable redirect target '\(location)'")
                }
                let crossHost = HubURLs.authority(of: next) != HubURLs.authority(of: current)
                if crossHost && !followCrossHost { return response }
                if crossHost { authorized = false }
                current = next
                continue
            }
            if response.status < 400 || passThrough.contains(response.status) { return response }
            throw Self.error(for: response, subject: subject, tokenSent: authorized)
        }
        throw HubError.invalidResponse(url: url, reason: "more than \(Self.maxRedirects) redirects")
    }

    /// `send` with retries: exponential backoff with jitter, `Retry-After` honoured.
    func sendWithRetries(
        _ method: HTTPMethod, url: String, headers: [String] = [], subject: RequestSubject,
        followCrossHost: Bool = true, passThrough: Set<Int> = []
    ) async throws -> HTTPResponse {
        let handle = CurlHandle()
        var retry = 0
        while true {
            do {
                return try await send(
                    method, url: url, headers: headers, subject: subject, handle: handle,
                    followCrossHost: followCrossHost, passThrough: passThrough)
            } catch let error as RetryableFailure {
                guard retry < configuration.retry.maxRetries else { throw error.failure }
                try await Self.backOff(after: error, retry: retry, policy: configuration.retry)
                retry += 1
            }
        }
    }

    /// Waits before retry number `retry` (0-based) of a failed request, saying so in the log.
    static func backOff(after failure: RetryableFailure, retry: Int, policy: RetryPolicy) async throws {
        let delay = policy.delay(forRetry: retry, retryAfter: failure.retryAfter)
        hubLogger.warning("retrying in \(String(format: "%.1f", delay)) s (retry \(retry + 1) of \(policy.maxRetries)): \(failure.failure)")
        try await sleep(delay)
    }

    static func sleep(_ seconds: Double) async throws {
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }

    /// Maps an error status to what the user can act on.
    static func error(for response: HTTPResponse, subject: RequestSubject, tokenSent: Bool) -> any Error {
        let status = response.status
        let url = response.url
        let message = response.headers["X-Error-Message"]
            ?? String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if status == 408 || status == 429 || status >= 500 {
            let retryAfter = response.headers["Retry-After"].flatMap { HeaderValues.retryAfterSeconds($0) }
            return RetryableFailure(
                failure: .httpStatus(status: status, url: url, message: message), retryAfter: retryAfter)
        }
        switch response.headers["X-Error-Code"] {
        case "RepoNotFound": return HubError.repoNotFound(repo: subject.repo, url: url)
        case "GatedRepo": return HubError.gatedRepo(repo: subject.repo, url: url)
        case "RevisionNotFound":
            return HubError.revisionNotFound(repo: subject.repo, revision: subject.revision ?? "", url: url)
        case "EntryNotFound":
            return HubError.entryNotFound(
                repo: subject.repo, revision: subject.revision ?? "", path: subject.path ?? "", url: url)
        default: break
        }
        switch status {
        case 401:
            let lowered = message.lowercased()
            if tokenSent && (lowered.contains("credential") || lowered.contains("token") || lowered.contains("password")) {
                return HubError.unauthorized(url: url, tokenSent: true)
            }
            return HubError.repoNotFound(repo: subject.repo, url: url)
        case 403:
            return HubError.unauthorized(url: url, tokenSent: tokenSent)
        case 404 where subject.path != nil:
            return HubError.entryNotFound(
                repo: subject.repo, revision: subject.revision ?? "", path: subject.path ?? "", url: url)
        case 404:
            return HubError.repoNotFound(repo: subject.repo, url: url)
        default:
            return HubError.httpStatus(status: status, url: url, message: message)
        }
    }
}
