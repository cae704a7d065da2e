import DepotPull
import DepotRunner
import DepotStore
import DepotSync
import Foundation
import Synchronization

/// The CLI's side of the API: requests to a running daemon over its Unix socket (or TCP).
public struct DaemonClient: Sendable {
    public let address: DaemonAddress
    public let token: String?

    public init(address: DaemonAddress, token: String? = nil) {
        self.address = address
        self.token = token
    }

    /// The daemon the CLI should use, if one answers: `DEPOT_DAEMON=HOST:PORT` (with DEPOT_TOKEN)
    /// names a TCP one; else the Unix socket of the settings. `DEPOT_NO_DAEMON=1` keeps the CLI in-process.
    public static func running(config: DepotConfig, environment: [String: String] = ProcessInfo.processInfo.environment) async -> DaemonClient? {
        if let off = environment["DEPOT_NO_DAEMON"], !off.isEmpty, off != "0" { return nil }
        let client: DaemonClient
        if let listen = environment["DEPOT_DAEMON"], !listen.isEmpty, let address = try? DaemonAddress(listen: listen) {
            client = DaemonClient(address: address, token: environment["DEPOT_TOKEN"])
        } else {
            guard FileManager.default.fileExists(atPath: config.daemonSocket) else { return nil }
            client = DaemonClient(address: .unixSocket(path: config.daemonSocket))
        }
        return await client.isHealthy() ? client : nil
    }

    public func isHealthy() async -> Bool {
        (try? await request("GET", "/healthz", timeoutSeconds: 2)) != nil
    }

    // MARK: the API

    public func status() async throws -> DaemonStatus { try await decode(DaemonStatus.self, "GET", "/v1/status") }
    public func pull(_ request: PullJobRequest) async throws -> JobView {
        try await decode(JobView.self, "POST", "/v1/pulls", body: try DaemonJSON.encoder().encode(request))
    }
    public func job(id: Int64) async throws -> JobView { try await decode(JobView.self, "GET", "/v1/jobs/\(id)") }
    public func jobs() async throws -> [JobView] { try await decode([JobView].self, "GET", "/v1/jobs") }
    public func cancel(jobID: Int64) async throws -> JobView { try await decode(JobView.self, "DELETE", "/v1/jobs/\(jobID)") }
    public func installed() async throws -> [ListedVersion] { try await decode([ListedVersion].self, "GET", "/v1/models") }

    /// `POST /v1/bundles`: the bundle job (follow it with `events(jobID:)`).
    public func bundle(_ body: BundleBody) async throws -> JobView {
        try await decode(JobView.self, "POST", "/v1/bundles", body: try DaemonJSON.encoder().encode(body))
    }

    /// `POST /v1/smoke`: waits (without a time limit) for the generation, which runs on the daemon.
    public func smoke(_ body: SmokeBody) async throws -> SmokeReport {
        try await decode(SmokeReport.self, "POST", "/v1/smoke", body: try DaemonJSON.encoder().encode(body), timeoutSeconds: 0)
    }

    /// `DELETE /v1/models/{name}`: `reference` is `NAME[@COMMIT]` as `depot rm` takes it.
    public func remove(_ reference: String, force: Bool = false) async throws -> RemoveReport {
        let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
        let name = parts[0].split(separator: "/").map { Self.escapeSegment(String($0)) }.joined(separator: "/")
        var query = parts.count > 1 ? ["commit=\(Self.escapeSegment(parts[1]))"] : []
        if force { query.append("force=true") }
        let suffix = query.isEmpty ? "" : "?" + query.joined(separator: "&")
        return try await decode(RemoveReport.self, "DELETE", "/v1/models/\(name)\(suffix)")
    }

    /// The job's events until its last one (`done`, `failed`, `cancelled`); the stream fails with
    /// `.interrupted` if the daemon stops before.
    public func events(jobID: Int64) -> AsyncThrowingStream<JobEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: JobEvent.self)
        let parser = Mutex(ServerSentEventParser())
        let finished = Mutex(false)
        let path = "/v1/jobs/\(jobID)/events"
        let call = makeCall("GET", path, body: nil, timeoutSeconds: 0) { bytes in
            let events = parser.withLock { $0.feed(bytes) }
            for event in events {
                do {
                    guard let decoded = try JobEvent(name: event.name, data: Data(event.data.utf8)) else { continue }
                    continuation.yield(decoded)
                    if decoded.isLast {
                        finished.withLock { $0 = true }
                        continuation.finish()
                        return false
                    }
                } catch {
                    continuation.finish(throwing: DaemonClientError.invalidResponse(path: path, reason: "\(error)"))
                    return false
                }
            }
            return true
        }
        let task = Task {
            let result = await call.run()
            if finished.withLock({ $0 }) { return }
            switch result {
            case .success(let outcome) where !(200..<300).contains(outcome.status):
                continuation.finish(throwing: Self.apiError(outcome, path: path))
            case .success:
                continuation.finish(throwing: DaemonClientError.interrupted(jobID: jobID))
            case .failure(let error):
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    // MARK: plumbing

    private func decode<T: Decodable>(_ type: T.Type, _ method: String, _ path: String, body: Data? = nil,
                                      timeoutSeconds: Int = 60) async throws -> T {
        let data = try await request(method, path, body: body, timeoutSeconds: timeoutSeconds)
        do {
            return try DaemonJSON.decoder().decode(type, from: data)
        } catch {
            throw DaemonClientError.invalidResponse(path: path, reason: "\(error)")
        }
    }

    /// The body of a 2xx answer; any other status throws the daemon's error message.
    func request(_ method: String, _ path: String, body: Data? = nil, timeoutSeconds: Int = 60) async throws -> Data {
        let collected = Mutex(Data())
        let call = makeCall(method, path, body: body, timeoutSeconds: timeoutSeconds) { bytes in
            collected.withLock { $0.append(contentsOf: bytes) }
            return true
        }
        let outcome = try await call.run().get()
        guard (200..<300).contains(outcome.status) else { throw Self.apiError(outcome, path: path) }
        return collected.withLock { $0 }
    }

    private func makeCall(_ method: String, _ path: String, body: Data?, timeoutSeconds: Int,
                          receive: @escaping @Sendable (UnsafeRawBufferPointer) -> Bool) -> DaemonCall {
        var headers = ["Accept: application/json"]
        if body != nil { headers.append("Content-Type: application/json") }
        if let token, !token.isEmpty { headers.append("Authorization: Bearer \(token)") }
        let url: String
        let socket: String?
        switch address {
        case .unixSocket(let socketPath):
            url = "http://localhost"
            socket = socketPath
        case .tcp:
            url = address.description
            socket = nil
        }
        return DaemonCall(method: method, url: url + path, unixSocket: socket, headers: headers, body: body,
                          timeoutSeconds: timeoutSeconds, receive: receive)
    }

    private static func apiError(_ outcome: DaemonCall.Outcome, path: String) -> DaemonClientError {
        if let body = try? DaemonJSON.decoder().decode(ErrorBody.self, from: outcome.errorBody) {
            return .api(status: outcome.status, code: body.error, message: body.message)
        }
        return .api(status: outcome.status, code: "http_\(outcome.status)",
                    message: "the daemon answered \(path) with HTTP \(outcome.status)")
    }

    private static func escapeSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? text
    }
}
