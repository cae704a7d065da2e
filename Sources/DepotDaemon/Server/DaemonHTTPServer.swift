import DepotCore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The daemon's HTTP/1.1 server: the router behind HummingbirdCore's server, each response
/// stamped with an RFC 9110 Date header.
///
/// Hummingbird's `Application` does the same, but builds its Date header with Foundation's
/// Calendar, which resolves the current time zone through ICU at start and keeps about 2 MB of
/// ICU's data in the daemon's memory for its whole life; UTCTimestamp writes the header by
/// arithmetic.
struct DaemonHTTPServer: Service {
    let responder: RouterResponder<BasicRequestContext>
    let address: BindAddress
    let logger: Logger
    let onServerRunning: @Sendable (any Channel) async -> Void

    init(router: Router<BasicRequestContext>, address: BindAddress, logger: Logger,
         onServerRunning: @escaping @Sendable (any Channel) async -> Void) {
        self.responder = router.buildResponder()
        self.address = address
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    func run() async throws {
        let (responder, logger) = (responder, logger)
        let server = try HTTPServerBuilder.http1().buildServer(
            configuration: ServerConfiguration(address: address),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger,
            responder: { request, writer, channel in
                var response: Response
                do {
                    response = try await responder.respond(to: request, context: BasicRequestContext(source: .init(channel: channel, logger: logger)))
                } catch let error as HTTPParserError {
                    // The channel answers a malformed request itself.
                    throw error
                } catch {
                    logger.error("\(request.method) \(request.uri.path): unhandled \(error)")
                    response = Response(status: .internalServerError)
                }
                response.headers[.date] = UTCTimestamp(Date()).formatted(.http)
                try await writer.write(response: response.head, body: response.body)
            },
            onServerRunning: onServerRunning)
        try await server.run()
    }
}
