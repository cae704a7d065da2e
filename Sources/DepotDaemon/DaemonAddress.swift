/// Where `depot serve` listens: its Unix socket (default) or a TCP address from `--listen HOST:PORT`.
public enum DaemonAddress: Sendable, Equatable, CustomStringConvertible {
    case unixSocket(path: String)
    case tcp(host: String, port: Int)

    /// Reads `HOST:PORT` or `[IPv6]:PORT`.
    public init(listen text: String) throws(DaemonAddressError) {
        guard let colon = text.lastIndex(of: ":") else { throw DaemonAddressError(text: text) }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw DaemonAddressError(text: text)
        }
        self = .tcp(host: host, port: port)
    }

    /// A Unix socket or a loopback address: the daemon sees this machine's files, so requests
    /// that name paths (smoke, bundle) can go to it.
    public var isThisMachine: Bool {
        switch self {
        case .unixSocket: true
        case .tcp(let host, _): ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
        }
    }

    /// Requests from anywhere but this machine must carry the token.
    public var requiresToken: Bool { !isThisMachine }

    public var description: String {
        switch self {
        case .unixSocket(let path): "unix:\(path)"
        case .tcp(let host, let port): host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
        }
    }
}

public struct DaemonAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String

    public init(text: String) { self.text = text }

    public var description: String {
        "cannot read listen address \"\(text)\": write HOST:PORT, e.g. --listen 127.0.0.1:7860 or --listen [::1]:7860"
    }
}
