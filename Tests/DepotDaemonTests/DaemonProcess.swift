import DepotDaemon
import DepotTestSupport
import Foundation

/// The built `depot serve` running as its own process (output to files, so nothing holds a pipe).
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let logFile: URL
    let address: DaemonAddress
    let token: String?

    init(environment: [String: String], arguments: [String] = [], address: DaemonAddress, token: String? = nil, logFile: URL) throws {
        self.address = address
        self.token = token
        self.logFile = logFile
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = try TestEnvironment.depotBinary()
        process.arguments = ["serve"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: logFile)
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
    }

    var client: DaemonClient { DaemonClient(address: address, token: token) }
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Waits until the daemon answers /healthz.
    func waitUntilReady(seconds: Double = 30) async throws -> Bool {
        try await waitUntil(seconds: seconds) { await client.isHealthy() || !process.isRunning }
            && process.isRunning
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to exit; nil if it still runs after `seconds`.
    func exitStatus(within seconds: Double) async throws -> Int32? {
        guard try await waitUntil(seconds: seconds, { !process.isRunning }) else { return nil }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
