import DepotMirror
import DepotPull
import DepotStore
import DepotSync
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// `depot serve`: the HTTP server, the job queue and the sync service in one service group that
/// SIGTERM and SIGINT shut down gracefully.
public struct DaemonServer: Sendable {
    public struct Options: Sendable {
        public var address: DaemonAddress
        public var token: String?
        public var maxJobs: Int
        /// Files one job fetches at once (each large file may also use several ranged connections).
        public var connectionsPerJob: Int

        public init(address: DaemonAddress, token: String?, maxJobs: Int, connectionsPerJob: Int = 4) {
            self.address = address
            self.token = token
            self.maxJobs = maxJobs
            self.connectionsPerJob = connectionsPerJob
        }
    }

    public let options: Options
    public let service: DepotService
    let logger = Logger(label: "depot.daemon")

    public init(options: Options, config: DepotConfig) throws {
        self.options = options
        var service = try DepotService(config: config)
        service.filesAtOnce = max(1, options.connectionsPerJob)
        self.service = service
    }

    /// The router with the API, the Hub mirror's read endpoints (when given), the token check
    /// (when a token is set) and the latency histogram.
    public static func router(routes: DaemonRoutes, mirror: HubMirrorRoutes? = nil, token: String?) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: LatencyMiddleware(metrics: routes.metrics))
        router.add(middleware: ErrorMiddleware())
        if let token { router.add(middleware: TokenMiddleware(token: token)) }
        routes.add(to: router)
        mirror?.register(on: router)
        return router
    }

    /// Serves until SIGTERM or SIGINT; `onListening` gets the address actually bound (a TCP port 0 becomes a real port).
    public func run(onListening: @escaping @Sendable (DaemonAddress) -> Void = { _ in }) async throws {
        if options.address.requiresToken, (options.token ?? "").isEmpty {
            throw DaemonError.tokenRequired(address: options.address.description)
        }
        let bindAddress = try prepareAddress()
        let metrics = DaemonMetrics()
        let queue = JobQueue(service: service, maxJobs: options.maxJobs, metrics: metrics)
        let routes = DaemonRoutes(queue: queue, metrics: metrics, address: options.address)
        let address = options.address
        let http = DaemonHTTPServer(
            router: Self.router(routes: routes, mirror: HubMirrorRoutes(service: service), token: options.token),
            address: bindAddress,
            logger: logger,
            onServerRunning: { channel in
                if case .unixSocket(let path) = address { chmod(path, 0o600) }
                if case .tcp(let host, _) = address, let port = channel.localAddress?.port {
                    onListening(.tcp(host: host, port: port))
                } else {
                    onListening(address)
                }
            })
        // Services stop in reverse order: the sync first (it waits on jobs), then the job runner
        // (pulls save their partials, event streams end), then the HTTP server, which then has no
        // long request left to wait for.
        let sync = TrackSyncService(synchronizer: TrackSynchronizer(service: service, submitter: queue))
        var configuration = ServiceGroupConfiguration(
            services: [http, JobRunnerService(queue: queue), sync],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(4)
        try await ServiceGroup(configuration: configuration).run()
        if case .unixSocket(let path) = address { unlink(path) }
    }

    /// A Unix socket left by a daemon that died is removed; one that answers means a daemon runs.
    private func prepareAddress() throws -> BindAddress {
        switch options.address {
        case .tcp(let host, let port):
            return .hostname(host, port: port)
        case .unixSocket(let path):
            let folder = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw DaemonError.socketSetup(path: path, reason: "\(error)")
            }
            if FileManager.default.fileExists(atPath: path) {
                if UnixSocketProbe.isAccepting(path: path) { throw DaemonError.alreadyRunning(socket: path) }
                logger.info("removing the stale socket \(path) of a daemon that is gone")
                guard unlink(path) == 0 || errno == ENOENT else {
                    throw DaemonError.socketSetup(path: path, reason: String(cString: strerror(errno)))
                }
            }
            // The socket is created with mode 0600 rather than made private after a window in which it is not.
            umask(0o077)
            return .unixDomainSocket(path: path)
        }
    }
}
