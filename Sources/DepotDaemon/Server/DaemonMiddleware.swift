import Foundation
import Hummingbird

/// Refuses every request without `Authorization: Bearer TOKEN` (401, before any handler runs).
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              Self.constantTimeEquals(Array(header.utf8.dropFirst(7)), Array(token.utf8))
        else { throw APIError.unauthorized }
        return try await next(request, context)
    }

    /// Compares without returning early, so the time taken does not tell how much of a guess was right.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Times each request into the latency histogram of /metrics.
struct LatencyMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: DaemonMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - started
            metrics.observeRequest(seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return try await next(request, context)
    }
}

/// Turns every failure of a handler into a JSON error with the status it deserves.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            throw APIError(status: error.status, code: error.status == .notFound ? "not_found" : "http_\(error.status.code)",
                           message: error.body ?? "\(request.method) \(request.uri.path): \(error.status.reasonPhrase)")
        } catch {
            throw APIError(error)
        }
    }
}
