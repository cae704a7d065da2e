import Foundation

/// Failures of the CLI's requests to the daemon.
public enum DaemonClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreachable(address: String, reason: String)
    /// The daemon answered with an error; `message` is its explanation.
    case api(status: Int, code: String, message: String)
    case invalidResponse(path: String, reason: String)
    /// The events stream ended without saying how the job ended (the daemon stopped).
    case interrupted(jobID: Int64)

    public var description: String {
        switch self {
        case let .unreachable(address, reason):
            "cannot reach the depot daemon at \(address): \(reason). Start it with `depot serve`, or unset DEPOT_DAEMON to work without it"
        case let .api(_, _, message):
            message
        case let .invalidResponse(path, reason):
            "the daemon's answer to \(path) was not understood (\(reason)); is the daemon the same depot version as this CLI?"
        case let .interrupted(jobID):
            "the daemon stopped while running job \(jobID); the pull continues from its partial files when the daemon starts again (`depot serve`), or run the pull again"
        }
    }
}
