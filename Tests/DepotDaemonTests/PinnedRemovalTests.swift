import DepotDaemon
import DepotSync
import DepotTestSupport
import Foundation
import Testing

/// `depot list` shows pins and tracks; `depot rm` refuses a pinned version unless unpinned or
/// forced — in-process and through the daemon alike (the built binary).
@Suite("pinned versions in list and rm", .serialized)
struct PinnedRemovalTests {
    struct Row: Decodable {
        var name: String
        var commit: String
        var pinned: Bool
        var tracked: Bool
    }

    static let inProcess = ["DEPOT_NO_DAEMON": "1"]

    static func rows(_ sandbox: DaemonProcessTests.Sandbox, extra: [String: String] = inProcess) throws -> [Row] {
        let listed = try sandbox.depot("list", "--json", extra: extra)
        #expect(listed.status == 0, "\(listed.stderr)")
        return try JSONDecoder().decode([Row].self, from: listed.stdoutData)
    }

    @Test("list marks pinned and tracked; rm of a pinned version fails and removes nothing until unpinned or --force")
    func pinnedRemoval() async throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        #expect(try sandbox.depot("pull", "org/small", extra: Self.inProcess).status == 0)
        let fresh = try #require(try Self.rows(sandbox).first)
        #expect(!fresh.pinned && !fresh.tracked)
        let commit = fresh.commit
        let version = "org/small@\(commit.prefix(12))"

        #expect(try sandbox.depot("pin", "org/small@\(commit.prefix(8))", extra: Self.inProcess).status == 0)
        #expect(try sandbox.depot("track", "org/small", "--every", "24h", extra: Self.inProcess).status == 0)
        let marked = try Self.rows(sandbox)
        #expect(marked.count == 1 && marked[0].pinned && marked[0].tracked)
        let table = try sandbox.depot("list", extra: Self.inProcess).stdout.split(separator: "\n")
        #expect(table.first?.hasSuffix("PINNED  TRACKED") == true, "\(table)")
        #expect(table.last?.hasSuffix("yes     yes") == true, "\(table)")

        let refused = try sandbox.depot("rm", "org/small", extra: Self.inProcess)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(version) is pinned"), "\(refused.stderr)")
        #expect(refused.stderr.contains("depot pin --remove \(version)") && refused.stderr.contains("--force"))
        #expect(try Self.rows(sandbox).map(\.commit) == [commit], "nothing was removed")

        // Unpinned, it goes like any other version.
        #expect(try sandbox.depot("pin", "--remove", version, extra: Self.inProcess).status == 0)
        #expect(try Self.rows(sandbox).first?.pinned == false)
        let removed = try sandbox.depot("rm", "org/small", extra: Self.inProcess)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(try Self.rows(sandbox).isEmpty)

        // Through the daemon: the same refusal, the same listing, then --force.
        #expect(try sandbox.depot("pull", "org/small", extra: Self.inProcess).status == 0)
        #expect(try sandbox.depot("pin", version, extra: Self.inProcess).status == 0)
        let daemon = try sandbox.start()
        #expect(try await daemon.waitUntilReady(), "\(daemon.log)")
        let viaAPI = try await daemon.client.installed()
        #expect(viaAPI.map(\.commit) == [commit] && viaAPI[0].pinned && viaAPI[0].tracked)
        let refusedByDaemon = try sandbox.depot("rm", "org/small")
        #expect(refusedByDaemon.status == 1)
        #expect(refusedByDaemon.stderr == refused.stderr)
        do {
            _ = try await daemon.client.remove("org/small")
            Issue.record("DELETE /v1/models/org/small removed a pinned version")
        } catch DaemonClientError.api(let status, let code, _) {
            #expect(status == 409 && code == "conflict")
        }
        #expect(try Self.rows(sandbox, extra: [:]).map(\.commit) == [commit])
        let forced = try sandbox.depot("rm", "org/small", "--force", "--json")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try Self.rows(sandbox, extra: [:]).isEmpty)
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: 5) == 0)
    }
}
