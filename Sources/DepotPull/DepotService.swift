import DepotCore
import DepotHub
import DepotStore
import Foundation

/// depot's operations on installed models — pull, list, show, verify, rm, gc — over one hub
/// client, one cache layout and one catalog. The CLI and the daemon both go through it.
public struct DepotService: Sendable {
    public let config: DepotConfig
    public let hub: HubClient
    public let layout: CacheLayout
    public let catalog: Catalog
    /// Files of one model fetched at the same time (a large file also splits into ranged parts).
    public var filesAtOnce = 4
    /// Check headers, shapes and configs of a new version before recording it (`pull --skip-structure-check` turns it off).
    public var checksStructure = true

    public var offline: Bool { config.offline }

    /// - Parameter readOnly: for commands that only read the catalog (`list`, `show`): no writer
    ///   connection, so exiting costs no checkpoint or disk flush.
    public init(config: DepotConfig, readOnly: Bool = false) throws {
        self.config = config
        hub = HubClient(configuration: HubConfiguration(
            endpoint: config.endpoint, token: config.token, retry: RetryPolicy(maxRetries: config.retries),
            stallSeconds: config.stallTimeoutSeconds, connections: config.connectionsPerFile,
            parallelThreshold: config.parallelThresholdBytes, chunkSize: config.chunkSizeBytes))
        layout = config.cacheLayout
        catalog = try (readOnly ? Catalog.openForReading(path: config.catalogPath) : nil) ?? Catalog(path: config.catalogPath)
    }

    /// The service over the user's settings: defaults < $DEPOT_HOME/config.json < environment.
    public static func fromEnvironment(readOnly: Bool = false) throws -> DepotService {
        try DepotService(config: try DepotConfig.load(), readOnly: readOnly)
    }

    /// The installed (not broken) version of the model `name` at `commit`, if any.
    func installedVersion(name: String, commit: String) async throws -> InstalledVersion? {
        try await catalog.findVersions(nameOrRepo: name, commitPrefix: commit)
            .first { $0.name == name && $0.commit == commit && $0.state == .installed }
    }
}
