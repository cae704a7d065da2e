import Foundation
import Testing

/// A fresh temporary folder removed when the value goes away.
final class TemporaryFolder {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/depot-store-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ text: String, to relative: String) throws -> String {
        let file = path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// The package root, found by walking up from this source file to Package.swift.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        url = url.deletingLastPathComponent()
    }
    return url.path
}()

/// The output of a finished Python process.
struct PythonResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the project's venv Python (`.venv/bin/python` or `$DEPOT_TEST_PYTHON`).
enum Python {
    static func executable() throws -> String {
        let candidate = ProcessInfo.processInfo.environment["DEPOT_TEST_PYTHON"] ?? packageRoot + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            Issue.record("No Python at \(candidate): run Scripts/test, which creates .venv (huggingface_hub, olah).")
            throw PythonMissing()
        }
        return candidate
    }

    struct PythonMissing: Error {}

    /// Starts `script` and returns the running process (for tests that talk to it while it runs).
    static func start(_ script: String, arguments: [String] = []) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = ["-c", script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HF_HUB_OFFLINE"] = "1"
        environment["HF_HUB_DISABLE_TELEMETRY"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Runs `script` to completion.
    static func run(_ script: String, arguments: [String] = []) throws -> PythonResult {
        let (process, out, err) = try start(script, arguments: arguments)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return PythonResult(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
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
