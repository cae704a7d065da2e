import DepotTestSupport
import Foundation
import Testing

/// `depot track`, `pin` and `untrack` through the built binary, with their --json shapes.
@Suite("depot track, pin, untrack", .serialized)
struct TrackCommandTests {
    let home: TemporaryDirectory

    init() throws {
        home = try TemporaryDirectory("depot-track-cli")
    }

    var socketPath: String { home.path("depot/depot.sock").path }

    func depot(_ arguments: [String], endpoint: String = "http://127.0.0.1:9") throws -> ProcessResult {
        try runProcess(try TestEnvironment.depotBinary(), arguments, environment: [
            "HOME": home.url.path, "DEPOT_HOME": home.path("depot").path, "HF_HOME": home.path("hf").path,
            "HF_ENDPOINT": endpoint, "NO_COLOR": "1", "TERM": "dumb"], timeout: 120)
    }

    func json(_ arguments: [String], endpoint: String = "http://127.0.0.1:9") throws -> [String: Any] {
        let result = try depot(arguments + ["--json"], endpoint: endpoint)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
    }

    @Test("track records the schedule and says whether a daemon answers on the socket")
    func track() throws {
        let tracked = try json(["track", "tiny-sd1", "--every", "1h30m", "--keep", "3"])
        #expect(tracked["name"] as? String == "tiny-sd1")
        #expect(tracked["repo"] as? String == "depot-fixtures/tiny-sd1")
        #expect(tracked["every_seconds"] as? Int == 5400)
        #expect(tracked["keep"] as? Int == 3)
        #expect(tracked["daemon_running"] as? Bool == false)
        #expect(tracked["daemon_socket"] as? String == socketPath)

        let text = try depot(["track", "tiny-sd1"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("run `depot serve`"))

        let listener = try UnixListener(path: socketPath)
        defer { listener.close() }
        let withDaemon = try json(["track", "tiny-sd1"])
        #expect(withDaemon["daemon_running"] as? Bool == true)

        let refused = try depot(["track", "tiny-sd1", "--keep", "0"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--keep 0"))
        let badInterval = try depot(["track", "tiny-sd1", "--every", "soon"])
        #expect(badInterval.status == 1)

        #expect(try json(["untrack", "tiny-sd1"])["tracked"] as? Bool == false)
        let again = try depot(["untrack", "tiny-sd1"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("not tracked"))
    }

    @Test("pin takes NAME@COMMIT-PREFIX of an installed version and answers with the full commit")
    func pin() throws {
        let hub = try FixtureHub()
        defer { hub.stop() }
        let pulled = try json(["pull", "tiny-sd1"], endpoint: hub.endpoint)
        let commit = try #require(pulled["commit"] as? String)
        let pinned = try json(["pin", "tiny-sd1@\(commit.prefix(8))"])
        #expect(pinned["commit"] as? String == commit)
        #expect(pinned["pinned"] as? Bool == true)
        let unpinned = try json(["pin", "--remove", "tiny-sd1@\(commit)"])
        #expect(unpinned["pinned"] as? Bool == false)
        let noCommit = try depot(["pin", "tiny-sd1"])
        #expect(noCommit.status == 1)
        #expect(noCommit.stderr.contains("NAME@COMMIT"))
        let notInstalled = try depot(["pin", "tiny-sd2@abc"])
        #expect(notInstalled.status == 1)
    }
}

/// A Unix socket that accepts connections into its backlog: what a running daemon looks like to a probe.
final class UnixListener: @unchecked Sendable {
    private let descriptor: Int32

    init(path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard descriptor >= 0, bound == 0, listen(descriptor, 8) == 0 else {
            throw TestSupportError.failed(command: "bind \(path)", status: errno, stderr: String(cString: strerror(errno)))
        }
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}
