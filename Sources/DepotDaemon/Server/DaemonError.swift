/// Why `depot serve` cannot start.
public enum DaemonError: Error, Sendable, Equatable, CustomStringConvertible {
    case alreadyRunning(socket: String)
    case tokenRequired(address: String)
    case socketSetup(path: String, reason: String)

    public var description: String {
        switch self {
        case .alreadyRunning(let socket):
            "a depot daemon already runs on \(socket): see it with `depot status`, or stop it (systemctl --user stop depot, or kill its pid) first"
        case .tokenRequired(let address):
            "listening on \(address) lets other machines in: give a token with --token TOKEN or DEPOT_TOKEN, which every request must send as `Authorization: Bearer TOKEN`"
        case .socketSetup(let path, let reason):
            "cannot prepare the daemon socket \(path): \(reason); check that its folder exists and is writable"
        }
    }
}
