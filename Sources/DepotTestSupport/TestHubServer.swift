import Foundation

/// Tests/Support/testhub/testhub.py — the project's own Hub (Range, Link paging, X-Linked-*
/// headers, injected faults) — on 127.0.0.1 with a free port, serving the folders under `root`
/// (`root/org/name/...` is the repo `org/name`). Stopped by `stop()` or when released.
public final class TestHubServer: @unchecked Sendable {
    public let root: URL
    public let port: Int
    private let directory: TemporaryDirectory
    private let process: Process

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    public init(pageSize: Int = 1000, token: String? = nil, lfsThreshold: Int = 1 << 20, maxSeconds: Int = 3600) throws {
        directory = try TemporaryDirectory("depot-testhub")
        root = directory.url
        process = Process()
        process.executableURL = try TestEnvironment.python()
        var arguments = [
            TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/testhub/testhub.py").path, root.path,
            "--tree-page-size", "\(pageSize)", "--lfs-threshold", "\(lfsThreshold)", "--max-seconds", "\(maxSeconds)",
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
            kill(process.processIdentifier, SIGKILL)
            throw TestSupportError.failed(command: "testhub.py", status: -1, stderr: "did not print its port (got '\(text)')")
        }
        self.port = port
    }

    public func stop() {
        if process.isRunning {
            // SIGKILL: a child spawned from a dispatch thread inherits its blocked SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// Writes the repository `org/name` with these files (path -> bytes).
    public func addRepo(_ repo: String, files: [String: Data]) throws {
        let base = root.appendingPathComponent(repo)
        for (path, data) in files {
            let url = base.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
    }

    /// Adds faults to the hub's plan (kinds in testhub.py), through its control endpoint.
    public func inject(_ faultsJSON: String) throws {
        try runChecked(URL(fileURLWithPath: "/usr/bin/curl"),
                       ["-fsS", "-X", "POST", "--data-binary", faultsJSON, endpoint + "/_control/faults"], timeout: 10)
    }

    /// Clears the fault plan and the request log.
    public func resetFaults() throws {
        try runChecked(URL(fileURLWithPath: "/usr/bin/curl"), ["-fsS", "-X", "POST", endpoint + "/_control/reset"], timeout: 10)
    }
}

/// Deterministic pseudo-random bytes (xorshift), so large test files are reproducible and incompressible.
public func pseudoRandomBytes(_ count: Int, seed: UInt64) -> Data {
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
