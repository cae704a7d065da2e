import Foundation

/// A local Hub served by olah from git repositories made of fixture folders (Scripts/fixture-hub).
/// Each instance has its own state folder and port; `stop()` (or deinit) ends the server.
public final class FixtureHub: @unchecked Sendable {
    public let endpoint: String
    public let state: TemporaryDirectory
    private let script: URL

    /// Starts olah serving `repos` (repo id -> folder); the default is tiny-sd1 and tiny-sd2.
    public init(repos: [String: URL]? = nil) throws {
        state = try TemporaryDirectory("depot-hub")
        script = TestEnvironment.packageRoot.appendingPathComponent("Scripts/fixture-hub")
        let result = try runChecked(script, ["start", state.url.path] + Self.specs(repos),
                                    environment: ["DEPOT_TEST_PYTHON": try TestEnvironment.python().path], timeout: 90)
        guard let line = result.stdout.split(separator: "\n").last(where: { $0.hasPrefix("HF_ENDPOINT=") }) else {
            throw TestSupportError.failed(command: "fixture-hub start", status: 0, stderr: result.stderr)
        }
        endpoint = String(line.dropFirst("HF_ENDPOINT=".count))
    }

    /// Re-syncs repos from folders: a changed folder becomes a new commit on main. Returns repo id -> commit.
    @discardableResult
    public func sync(_ repos: [String: URL]) throws -> [String: String] {
        let result = try runChecked(script, ["start", state.url.path] + Self.specs(repos),
                                    environment: ["DEPOT_TEST_PYTHON": try TestEnvironment.python().path], timeout: 90)
        var commits: [String: String] = [:]
        for line in result.stderr.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[1].count == 40 { commits[String(parts[0])] = String(parts[1]) }
        }
        return commits
    }

    public func stop() {
        _ = try? runProcess(script, ["stop", state.url.path], timeout: 30)
    }

    deinit { stop() }

    private static func specs(_ repos: [String: URL]?) -> [String] {
        (repos ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.path)" }
    }
}
