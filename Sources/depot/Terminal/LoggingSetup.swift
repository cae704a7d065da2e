import Foundation
import Logging

/// Diagnostics (retries, redirects, resumes) go to stderr through swift-log; results never do.
/// DEPOT_LOG_LEVEL picks the level: trace, debug, info, notice, warning (default), error, critical.
enum LoggingSetup {
    static func bootstrap(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let level = environment["DEPOT_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
