import Foundation
import Testing
import DepotTestSupport

/// A private DEPOT_HOME and HF_HOME for one test, and a way to run the built `depot` binary in them.
final class DepotSandbox: Sendable {
    let home: TemporaryDirectory
    let endpoint: String?

    init(hub: FixtureHub?) throws {
        home = try TemporaryDirectory("depot-sandbox")
        endpoint = hub?.endpoint
    }

    var depotHome: URL { home.path("depot-home") }
    var hfHome: URL { home.path("hf-home") }
    var hubCache: URL { hfHome.appendingPathComponent("hub") }

    var environment: [String: String] {
        var env = ["DEPOT_HOME": depotHome.path, "HF_HOME": hfHome.path, "HF_HUB_CACHE": hubCache.path,
                   "HF_HUB_DISABLE_TELEMETRY": "1", "NO_COLOR": "1", "TERM": "dumb"]
        if let endpoint { env["HF_ENDPOINT"] = endpoint }
        return env
    }

    /// Runs `depot ARGS` and returns the result, whatever its exit status.
    func run(_ arguments: [String], extraEnvironment: [String: String] = [:], timeout: Double = 120) throws -> ProcessResult {
        try runProcess(try TestEnvironment.depotBinary(), arguments,
                       environment: environment.merging(extraEnvironment) { _, new in new }, timeout: timeout)
    }

    /// Runs `depot ARGS`, expecting exit 0.
    @discardableResult
    func depot(_ arguments: String..., timeout: Double = 120) throws -> ProcessResult {
        let result = try run(arguments, timeout: timeout)
        guard result.status == 0 else {
            throw TestSupportError.failed(command: "depot " + arguments.joined(separator: " "), status: result.status,
                                          stderr: result.stderr + result.stdout)
        }
        return result
    }

    /// Runs `depot ARGS --json` and decodes stdout.
    func json(_ arguments: String..., timeout: Double = 120) throws -> Any {
        let result = try run(arguments + ["--json"], timeout: timeout)
        guard result.status == 0 else {
            throw TestSupportError.failed(command: "depot " + arguments.joined(separator: " ") + " --json",
                                          status: result.status, stderr: result.stderr + result.stdout)
        }
        return try JSONSerialization.jsonObject(with: result.stdoutData)
    }

    /// Runs Python from the test venv with the sandbox's environment.
    func python(_ script: String, timeout: Double = 120) throws -> ProcessResult {
        try runChecked(try TestEnvironment.python(), ["-c", script], environment: environment, timeout: timeout)
    }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
}
