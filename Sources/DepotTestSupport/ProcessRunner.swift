import Foundation

/// The outcome of a finished child process.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var stdoutData: Data
}

/// Runs a program to completion with a time bound, capturing its output.
/// Output goes through files, not pipes, so a chatty child never blocks on a full pipe.
public func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                       currentDirectory: URL? = nil, timeout: Double = 120) throws -> ProcessResult {
    let scratch = try TemporaryDirectory("depot-proc")
    let outURL = scratch.path("stdout"), errURL = scratch.path("stderr")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
        if Date() > deadline {
            process.terminate()
            Thread.sleep(forTimeInterval: 0.5)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw TestSupportError.timedOut(command: ([executable.lastPathComponent] + arguments).joined(separator: " "), seconds: timeout)
        }
        Thread.sleep(forTimeInterval: 0.02)
    }
    let out = try Data(contentsOf: outURL)
    let err = try Data(contentsOf: errURL)
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                         stderr: String(decoding: err, as: UTF8.self), stdoutData: out)
}

/// Runs a program and throws with its stderr when it exits non-zero.
@discardableResult
public func runChecked(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                       timeout: Double = 120) throws -> ProcessResult {
    let result = try runProcess(executable, arguments, environment: environment, timeout: timeout)
    guard result.status == 0 else {
        throw TestSupportError.failed(command: ([executable.lastPathComponent] + arguments).joined(separator: " "),
                                      status: result.status, stderr: result.stderr)
    }
    return result
}
