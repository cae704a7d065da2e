import DepotTestSupport
import Foundation
@testable import DepotHub

/// Errors of the test harness itself (not of depot).
struct TestHubError: Error, CustomStringConvertible {
    var description: String
}

/// Tests/Support/testhub/testhub.py running on 127.0.0.1 with a free port, serving `root`.
final class TestHub: @unchecked Sendable {
    private let server: TestHubServer

    var root: URL { server.root }
    var port: Int { server.port }
    var endpoint: String { server.endpoint }

    init(pageSize: Int = 1000, token: String? = nil, lfsThreshold: Int = 1 << 20) throws {
        server = try TestHubServer(pageSize: pageSize, token: token, lfsThreshold: lfsThreshold)
    }

    func stop() {
        server.stop()
    }

    /// Writes a repository `org/name` with the given files (and optional `.testhub.json` settings).
    func addRepo(_ repo: String, files: [String: Data], settings: String? = nil) throws {
        try server.addRepo(repo, files: files)
        if let settings { try Data(settings.utf8).write(to: root.appendingPathComponent(repo).appendingPathComponent(".testhub.json")) }
    }

    /// Adds faults to the hub's plan (see testhub.py for the kinds).
    func inject(_ faultsJSON: String) async throws {
        let plan = HubURLs.encodeSegment(faultsJSON)
        let response = try await control("/_control/faults?plan=\(plan)")
        guard response.status == 200 else { throw TestHubError(description: "fault plan refused: \(response.status)") }
    }

    struct LogEntry: Decodable {
        var method: String
        var path: String
        var range: String?
        var status: Int?
        var authorized: Bool
        var fault: String?
        var kind: String?
    }

    /// Every request the hub served so far.
    func log() async throws -> [LogEntry] {
        try JSONDecoder().decode([LogEntry].self, from: try await control("/_control/log").body)
    }

    private func control(_ path: String) async throws -> HTTPResponse {
        try await CurlHandle().perform(HTTPRequest(url: endpoint + path, userAgent: "depot-tests", stallSeconds: 10))
    }

    /// A client of this hub with quick retries (the stall timeout stays generous unless a test lowers it,
    /// so a loaded machine does not cause retries that tests counting requests would see).
    func client(token: String? = nil, stallSeconds: Int = 10, connections: Int = 4, parallelThreshold: Int64 = 1 << 20,
                chunkSize: Int64 = 256 << 10) -> HubClient {
        HubClient(configuration: HubConfiguration(
            endpoint: endpoint, token: token, userAgent: "depot/test",
            retry: RetryPolicy(maxRetries: 4, baseDelay: 0.02, maxDelay: 0.2),
            stallSeconds: stallSeconds, connections: connections,
            parallelThreshold: parallelThreshold, chunkSize: chunkSize))
    }
}
