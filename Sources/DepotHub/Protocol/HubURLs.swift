import Foundation

/// Builds the Hub's URLs for one endpoint. Revisions are encoded whole (a branch may contain `/`);
/// file paths keep their `/` separators.
struct HubURLs: Sendable {
    let endpoint: String

    init(endpoint: String) {
        var trimmed = endpoint
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.endpoint = trimmed
    }

    func revision(repo: String, revision: String) -> String {
        "\(endpoint)/api/models/\(Self.encodePath(repo))/revision/\(Self.encodeSegment(revision))"
    }

    func tree(repo: String, revision: String) -> String {
        "\(endpoint)/api/models/\(Self.encodePath(repo))/tree/\(Self.encodeSegment(revision))?recursive=true&expand=false"
    }

    func resolve(repo: String, revision: String, path: String) -> String {
        "\(endpoint)/\(Self.encodePath(repo))/resolve/\(Self.encodeSegment(revision))/\(Self.encodePath(path))"
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes everything but RFC 3986 unreserved characters, `/` included.
    static func encodeSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// Percent-encodes each `/`-separated component.
    static func encodePath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { encodeSegment(String($0)) }.joined(separator: "/")
    }

    /// Resolves a `Location` or `Link` target against the URL it came from.
    static func resolve(_ reference: String, against base: String) -> String? {
        URL(string: reference, relativeTo: URL(string: base))?.absoluteURL.absoluteString
    }

    /// The host (with port) of a URL, lowercased; nil for a relative reference.
    static func authority(of url: String) -> String? {
        // encodedHost, not host: decoding an internationalised name loads ICU (MBs in the daemon).
        guard let components = URLComponents(string: url), let host = components.encodedHost else { return nil }
        return components.port.map { "\(host.lowercased()):\($0)" } ?? host.lowercased()
    }
}
