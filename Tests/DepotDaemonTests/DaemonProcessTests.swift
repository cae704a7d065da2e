import DepotDaemon
import DepotStore
import DepotTestSupport
import Foundation
import Testing

/// The built `depot serve` over its Unix socket and over TCP, killed and started again.
@Suite("depot serve as a process", .serialized)
struct DaemonProcessTests {
    struct Sandbox {
        let directory: TemporaryDirectory
        let hub: TestHubServer
        let environment: [String: String]
        var socket: String { environment["DEPOT_HOME"]! + "/depot.sock" }

        init() throws {
            directory = try TemporaryDirectory("depot-serve")
            hub = try TestHubServer()
            try hub.addRepo("org/small", files: DaemonHarness.smallFiles)
            environment = DaemonHarness.environment(home: directory.url, endpoint: hub.endpoint)
                .merging(["DEPOT_LOG_LEVEL": "info"]) { _, new in new }
        }

        func start(_ arguments: [String] = [], address: DaemonAddress? = nil, token: String? = nil, log: String = "serve.log") throws -> DaemonProcess {
            try DaemonProcess(environment: environment, arguments: arguments, address: address ?? .unixSocket(path: socket),
                              token: token, logFile: directory.path(log))
        }

        func depot(_ arguments: String..., extra: [String: String] = [:]) throws -> ProcessResult {
            try runProcess(try TestEnvironment.depotBinary(), arguments, environment: environment.merging(extra) { _, new in new }, timeout: 120)
        }
    }

    @Test("the socket is private; a second daemon refuses to start; SIGTERM exits 0 and a stale socket is replaced")
    func socketLifecycle() async throws {
        let sandbox = try Sandbox()
        let daemon = try sandbox.start()
        #expect(try await daemon.waitUntilReady(), "\(daemon.log)")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: sandbox.socket)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)

        let second = try sandbox.depot("serve")
        #expect(second.status != 0)
        #expect(second.stderr.contains("already runs"), "\(second.stderr)")

        let status = try sandbox.depot("status", "--json")
        let shown = try DaemonJSON.decoder().decode(DaemonStatus.self, from: status.stdoutData)
        #expect(shown.pid == daemon.process.processIdentifier)
        #expect(shown.address == "unix:\(sandbox.socket)")

        // 50 status requests at once, all answered.
        let client = daemon.client
        let answered = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<50 { group.addTask { try await client.status().pid } }
            return try await group.reduce(into: [Int32]()) { $0.append($1) }
        }
        #expect(answered.count == 50 && answered.allSatisfy { $0 == daemon.process.processIdentifier })

        let started = Date()
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: 5) == 0, "\(daemon.log)")
        #expect(Date().timeIntervalSince(started) < 5)
        let none = try sandbox.depot("status")
        #expect(none.stdout.contains("No depot daemon runs"))

        // A daemon killed with SIGKILL leaves its socket file; the next one replaces it.
        let crashed = try sandbox.start(log: "crashed.log")
        #expect(try await crashed.waitUntilReady())
        crashed.signal(SIGKILL)
        _ = try await crashed.exitStatus(within: 5)
        #expect(FileManager.default.fileExists(atPath: sandbox.socket))
        let next = try sandbox.start(log: "next.log")
        #expect(try await next.waitUntilReady(), "\(next.log)")
        next.signal(SIGINT)
        #expect(try await next.exitStatus(within: 5) == 0)
    }

    @Test("TCP on a non-loopback address needs the token; a request without it gets 401 and changes nothing")
    func tokenOverTCP() async throws {
        let sandbox = try Sandbox()
        let refused = try sandbox.depot("serve", "--listen", "0.0.0.0:0")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("token"))

        let daemon = try sandbox.start(["--listen", "0.0.0.0:0", "--token", "s3cret"], address: .tcp(host: "127.0.0.1", port: 0))
        let port = try #require(try await Self.boundPort(of: daemon))
        let withToken = DaemonClient(address: .tcp(host: "127.0.0.1", port: port), token: "s3cret")
        let withoutToken = DaemonClient(address: .tcp(host: "127.0.0.1", port: port))
        let wrongToken = DaemonClient(address: .tcp(host: "127.0.0.1", port: port), token: "guess")
        #expect(await withToken.isHealthy())
        #expect(await !withoutToken.isHealthy())
        for client in [withoutToken, wrongToken] {
            await #expect(throws: DaemonClientError.api(status: 401, code: "unauthorized", message: APIError.unauthorized.message)) {
                try await client.pull(PullJobRequest(name: "org/small"))
            }
        }
        #expect(try await withToken.jobs().isEmpty)
        try Self.expectCurrentDateHeader(port: port, token: "s3cret")
        let log = try sandbox.hub.requestLog()
        #expect(log.isEmpty, "the refused requests reached the hub: \(log.map(\.path))")
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: 5) == 0)
    }

    /// Every response carries an RFC 9110 Date header (the daemon writes it itself, see
    /// DaemonHTTPServer) that Python's HTTP date parser reads as the current time.
    static func expectCurrentDateHeader(port: Int, token: String) throws {
        let script = """
            import email.utils, http.client, sys, time
            connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=20)
            connection.request("GET", "/healthz", headers={"Authorization": "Bearer " + sys.argv[2]})
            header = connection.getresponse().getheader("Date")
            skew = abs(email.utils.parsedate_to_datetime(header).timestamp() - time.time())
            print(header, skew)
            sys.exit(0 if header.endswith(" GMT") and skew < 120 else 1)
            """
        let outcome = try runProcess(try TestEnvironment.python(), ["-c", script, String(port), token], timeout: 60)
        #expect(outcome.status == 0, "Date header check: \(outcome.stdout) \(outcome.stderr)")
    }

    static func boundPort(of daemon: DaemonProcess) async throws -> Int? {
        var port: Int?
        _ = try await waitUntil(seconds: 30) {
            if let range = daemon.log.range(of: #"listening on http://[0-9.]+:(\d+)"#, options: .regularExpression) {
                port = Int(daemon.log[range].split(separator: ":").last ?? "")
            }
            return port != nil || !daemon.process.isRunning
        }
        return port
    }
}
