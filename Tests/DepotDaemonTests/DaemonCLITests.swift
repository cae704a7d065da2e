import DepotDaemon
import DepotTestSupport
import Foundation
import Testing

/// `depot pull`, `list` and `rm` print the same through the daemon as in-process.
@Suite("CLI through the daemon")
struct DaemonCLITests {
    @Test("pull, list and rm: the same output with and without a daemon")
    func sameOutput() async throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        let inProcess = ["DEPOT_NO_DAEMON": "1"]

        let pulledAlone = try sandbox.depot("pull", "org/small", extra: inProcess)
        #expect(pulledAlone.status == 0, "\(pulledAlone.stderr)")
        let listedAlone = try sandbox.depot("list", extra: inProcess)
        let removedAlone = try sandbox.depot("rm", "org/small", extra: inProcess)
        #expect(removedAlone.status == 0, "\(removedAlone.stderr)")

        let daemon = try sandbox.start()
        #expect(try await daemon.waitUntilReady(), "\(daemon.log)")
        let pulled = try sandbox.depot("pull", "org/small")
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let listed = try sandbox.depot("list")
        let removed = try sandbox.depot("rm", "org/small")
        let jobs = try await daemon.client.jobs()
        #expect(jobs.count == 1, "the pull went through the daemon")

        #expect(Self.timeless(pulled.stdout) == Self.timeless(pulledAlone.stdout))
        #expect(pulled.stderr.split(separator: "\n").sorted() == pulledAlone.stderr.split(separator: "\n").sorted())
        #expect(Self.untimed(listed.stdout) == Self.untimed(listedAlone.stdout))
        #expect(removed.stdout == removedAlone.stdout)

        let missing = try sandbox.depot("rm", "org/small")
        let missingAlone = try sandbox.depot("rm", "org/small", extra: inProcess)
        #expect(missing.status == 1 && missingAlone.status == 1)
        #expect(missing.stderr == missingAlone.stderr)

        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: 5) == 0)
    }

    /// The pull summary without its duration.
    static func timeless(_ text: String) -> String {
        text.replacingOccurrences(of: #"in [0-9.]+ s"#, with: "in _ s", options: .regularExpression)
    }

    /// The list table without the pulled-at column's times (the two pulls ran at different moments).
    static func untimed(_ text: String) -> String {
        text.replacingOccurrences(of: #"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?"#, with: "_", options: .regularExpression)
    }
}
