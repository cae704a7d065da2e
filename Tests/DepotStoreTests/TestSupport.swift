import DepotTestSupport
import Foundation

extension TemporaryDirectory {
    /// The folder as a plain path string (what DepotStore's API takes).
    var root: String { url.path }

    /// Writes `text` at `relative` below the folder, creating parents; returns the absolute path.
    @discardableResult
    func write(_ text: String, to relative: String) throws -> String {
        let file = path(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file.path
    }
}

/// Runs a Python snippet with the test venv's interpreter (huggingface_hub installed) offline.
func runPython(_ script: String, _ arguments: [String] = []) throws -> ProcessResult {
    try runProcess(try TestEnvironment.python(), ["-c", script] + arguments,
                   environment: ["HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"], timeout: 60)
}

/// Starts a Python snippet and returns at once (for tests that interact with it while it runs).
func startPython(_ script: String, _ arguments: [String] = []) throws -> Process {
    let process = Process()
    process.executableURL = try TestEnvironment.python()
    process.arguments = ["-c", script] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(["HF_HUB_OFFLINE": "1"]) { _, new in new }
    try process.run()
    return process
}

/// Polls `condition` every 20 ms for up to `seconds`; returns whether it became true.
func eventually(within seconds: Double, _ condition: () -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
    return condition()
}
