import DepotCore
import Foundation

/// Where and how DepotHub talks to a Hub.
public struct HubConfiguration: Sendable {
    /// Base URL of the Hub, e.g. `https://huggingface.co` (DepotStore's `DepotConfig` reads `HF_ENDPOINT`).
    public var endpoint: String
    /// Bearer token (DepotStore's `DepotConfig` reads `HF_TOKEN`, else the token file).
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

    public init(
        endpoint: String = defaultEndpoint, token: String? = nil, userAgent: String = "depot/\(DepotVersion.current)",
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
}
