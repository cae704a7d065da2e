import Foundation

/// depot's settings: defaults, overridden by `$DEPOT_HOME/config.json`, overridden by environment
/// variables. config/README.md lists every key with its default and its variable.
public struct DepotConfig: Sendable, Equatable {
    /// Base URL of the Hub (`endpoint`, `HF_ENDPOINT`).
    public var endpoint: String
    /// huggingface_hub's home (`hf_home`, `HF_HOME`); default `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`.
    public var hfHome: String
    /// The shared blob cache (`hub_cache`, `HF_HUB_CACHE`); default `{hfHome}/hub`.
    public var hubCache: String
    /// File holding the access token (`token_path`, `HF_TOKEN_PATH`); default `{hfHome}/token`.
    public var tokenPath: String
    /// The access token: `HF_TOKEN`, else the contents of ``tokenPath``; never read from config.json.
    public var token: String?
    /// Answer from the local store only, never contact the Hub (`offline`, `HF_HUB_OFFLINE`).
    public var offline: Bool
    /// depot's own state folder (`DEPOT_HOME` only; default `$XDG_DATA_HOME/depot`, else `~/.local/share/depot`).
    public var depotHome: String
    /// The settings file that was read (`DEPOT_CONFIG`; default `{depotHome}/config.json`).
    public var configFile: String
    /// Parallel connections for one large file (`connections_per_file`, `DEPOT_CONNECTIONS`).
    public var connectionsPerFile: Int
    /// Files at least this large download as parallel ranged parts (`parallel_threshold_bytes`, `DEPOT_PARALLEL_THRESHOLD`).
    public var parallelThresholdBytes: Int64
    /// Size of one resumable ranged part (`chunk_size_bytes`, `DEPOT_CHUNK_SIZE`).
    public var chunkSizeBytes: Int64
    /// Seconds without a byte before a transfer counts as stalled (`stall_timeout_seconds`, `DEPOT_STALL_TIMEOUT`).
    public var stallTimeoutSeconds: Int
    /// Retries after a failed request (`retries`, `DEPOT_RETRIES`).
    public var retries: Int
    /// Pulls the daemon runs at once (`daemon_max_jobs`, `DEPOT_MAX_JOBS`).
    public var daemonMaxJobs: Int
    /// The daemon's Unix socket (`daemon_socket`, `DEPOT_SOCKET`); default `{depotHome}/depot.sock`.
    public var daemonSocket: String

    /// The SQLite catalog: `{depotHome}/catalog.sqlite`.
    public var catalogPath: String { PathString.join(depotHome, "catalog.sqlite") }
    /// The user's own registry additions: `{depotHome}/registry.json`.
    public var userRegistryPath: String { PathString.join(depotHome, "registry.json") }
    /// The HF cache layout rooted at ``hubCache``.
    public var cacheLayout: CacheLayout { CacheLayout(root: hubCache) }

    /// Defaults that do not depend on any folder.
    public static let defaultEndpoint = "https://huggingface.co"
    public static let defaultConnectionsPerFile = 4
    public static let defaultParallelThresholdBytes: Int64 = 64 << 20
    public static let defaultChunkSizeBytes: Int64 = 16 << 20
    public static let defaultStallTimeoutSeconds = 30
    public static let defaultRetries = 5
    public static let defaultDaemonMaxJobs = 2
}
