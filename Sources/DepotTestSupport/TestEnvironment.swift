import Foundation

/// Where things are when depot's tests run: the package root, the fixtures, the Python peers, the built binary.
public enum TestEnvironment {
    /// The package root, found from this source file's location.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("depot tests: no Package.swift above \(#filePath)")
    }()

    /// Tests/Fixtures: copies of the shared fixtures, so tests never read outside the repository.
    public static var fixtures: URL { packageRoot.appendingPathComponent("Tests/Fixtures") }

    public static func fixture(_ relativePath: String) -> URL {
        fixtures.appendingPathComponent(relativePath)
    }

    /// The Python of the test venv ($DEPOT_TEST_PYTHON, else .venv/bin/python). Throws when absent:
    /// tests that need a Python peer fail rather than skip, since Scripts/test always creates it.
    public static func python() throws -> URL {
        let candidates: [String?] = [ProcessInfo.processInfo.environment["DEPOT_TEST_PYTHON"],
                          packageRoot.appendingPathComponent(".venv/bin/python").path]
        for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        throw TestSupportError.missingPython
    }

    /// The built `depot` binary ($DEPOT_BINARY, else .build/debug/depot).
    public static func depotBinary() throws -> URL {
        let candidates: [String?] = [ProcessInfo.processInfo.environment["DEPOT_BINARY"],
                          packageRoot.appendingPathComponent(".build/debug/depot").path]
        for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        throw TestSupportError.missingBinary
    }
}

public enum TestSupportError: Error, CustomStringConvertible {
    case missingPython
    case missingBinary
    case timedOut(command: String, seconds: Double)
    case failed(command: String, status: Int32, stderr: String)

    public var description: String {
        switch self {
        case .missingPython:
            return "no Python test venv (.venv/bin/python or $DEPOT_TEST_PYTHON): run Scripts/test, which creates it"
        case .missingBinary:
            return "no built depot binary (.build/debug/depot or $DEPOT_BINARY): run `swift build` first (Scripts/test does)"
        case .timedOut(let command, let seconds):
            return "\(command) did not finish within \(seconds) s"
        case .failed(let command, let status, let stderr):
            return "\(command) exited \(status): \(stderr)"
        }
    }
}
