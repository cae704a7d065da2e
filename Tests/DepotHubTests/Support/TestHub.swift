import DepotTestSupport
import Foundation
@testable import DepotHub

/// Errors of the test harness itself (not of depot).
struct TestHubError: Error, CustomStringConvertible {
    var description: String
}

/// Deterministic pseudo-random bytes (xorshift), so test files are reproducible.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> Data {
    var state = seed | 1
    var bytes = [UInt8](repeating: 0, count: count)
    for index in 0..<count {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        bytes[index] = UInt8(truncatingIfNeeded: state)
    }
    return Data(bytes)
}

/// Tests/Support/testhub/testhub.py running on 127.0.0.1 with a free port, serving `root`.
final class TestHub: @unchecked Sendable {
    let root: URL
    let port: Int
    private let directory: TemporaryDirectory
    private let process: Process

    var endpoint: String { "http://127.0.0.1:\(port)" }

    init(pageSize: Int = 1000, token: String? = nil, lfsThreshold: Int = 1 << 20) throws {
        directory = try TemporaryDirectory("depot-testhub")
        root = directory.url
        process = Process()
        process.executableURL = try TestEnvironment.python()
        var arguments = [
            TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/testhub/testhub.py").path, root.path,
            "--tree-page-size", "\(pageSize)", "--lfs-threshold", "\(lfsThreshold)", "--max-seconds", "300",
        ]
        if let token { arguments += ["--token", token] }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw TestHubError(description: "testhub.py did not print its port (got '\(text)')")
        }
        self.port = port
    }

    func stop() {
        if process.isRunning {
            // SIGKILL: a child spawned from a dispatch thread inherits its blocked SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Writes a repository `org/name` with the given files (and optional `.testhub.json` settings).
    func addRepo(_ repo: String, files: [String: Data], settings: String? = nil) throws {
        let base = root.appendingPathComponent(repo)
        for (path, data) in files {
            let url = base.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        if let settings { try Data(settings.utf8).write(to: base.appendingPathComponent(".testhub.json")) }
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

    /// A client of this hub with quick retries and a short stall timeout.
    func client(token: String? = nil, stallSeconds: Int = 2, connections: Int = 4, parallelThreshold: Int64 = 1 << 20,
                chunkSize: Int64 = 256 << 10) -> HubClient {
        HubClient(configuration: HubConfiguration(
            endpoint: endpoint, token: token, userAgent: "depot/test",
            retry: RetryPolicy(maxRetries: 4, baseDelay: 0.02, maxDelay: 0.2),
            stallSeconds: stallSeconds, connections: connections,
            parallelThreshold: parallelThreshold, chunkSize: chunkSize))
    }
}
