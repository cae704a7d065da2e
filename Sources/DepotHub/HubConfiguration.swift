import Foundation

/// Where and how DepotHub talks to a Hub.
public struct HubConfiguration: Sendable {
    /// Base URL of the Hub, e.g. `https://huggingface.co` (`HF_ENDPOINT`).
    public var endpoint: String
    /// Bearer token (`HF_TOKEN`, else the file `$HF_HOME/token`).
    public var token: String?
    public var userAgent: String
    public var retry: RetryPolicy
    /// Seconds without a single byte before a transfer counts as stalled and is retried.
    public var stallSeconds: Int
    /// Parallel connections for a large file when the server honours Range.
    public var connections: Int
    /// Files at least this large download as parallel ranged chunks.
    public var parallelThreshold: Int64
    /// Size of one ranged chunk (each is resumable on its own).
    public var chunkSize: Int64

    public static let defaultEndpoint = "https://huggingface.co"
    public static let version = "0.1.0"

    public init(
        endpoint: String = defaultEndpoint, token: String? = nil, userAgent: String = "depot/\(version)",
        retry: RetryPolicy = RetryPolicy(), stallSeconds: Int = 30, connections: Int = 4,
        parallelThreshold: Int64 = 64 << 20, chunkSize: Int64 = 16 << 20
    ) {
        self.endpoint = endpoint
        self.token = token
        self.userAgent = userAgent
        self.retry = retry
        self.stallSeconds = stallSeconds
        self.connections = connections
        self.parallelThreshold = parallelThreshold
        self.chunkSize = chunkSize
    }

    /// Endpoint and token from `HF_ENDPOINT`, `HF_TOKEN`, `HF_HOME` (default `~/.cache/huggingface`).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> HubConfiguration {
        var configuration = HubConfiguration()
        if let endpoint = environment["HF_ENDPOINT"], !endpoint.isEmpty { configuration.endpoint = endpoint }
        configuration.token = token(from: environment)
        return configuration
    }

    static func token(from environment: [String: String]) -> String? {
        if let token = environment["HF_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty {
            return token
        }
        let home = environment["HF_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.cache/huggingface")
        guard let contents = try? String(contentsOfFile: home + "/token", encoding: .utf8) else { return nil }
        let token = contents.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }
}
