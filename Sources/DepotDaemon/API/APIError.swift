import DepotBundle
import DepotHub
import DepotPull
import DepotRegistry
import DepotRunner
import DepotSync
import Foundation
import Hummingbird

/// A failed API request: the status and `{"error": code, "message": text}` as the body.
public struct APIError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A stable machine-readable code: `not_found`, `bad_request`, `unauthorized`, `conflict`, `internal`.
    public var code: String
    public var message: String

    public init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, code: "not_found", message: message) }
    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, code: "bad_request", message: message) }
    public static let unauthorized = APIError(
        status: .unauthorized, code: "unauthorized",
        message: "this daemon requires a token: send the header `Authorization: Bearer TOKEN` (the CLI reads DEPOT_TOKEN)")

    /// The status and code a failure of the pull machinery deserves; its own text is the message.
    init(_ error: any Error) {
        if let error = error as? APIError {
            self = error
            return
        }
        let message = String(describing: error)
        switch error {
        case let error as RegistryError:
            switch error {
            case .unknownName, .unknownVariant, .noVariants: self = .notFound(message)
            case .invalidReference: self = .badRequest(message)
            default: self = APIError(status: .internalServerError, code: "internal", message: message)
            }
        case let error as PullError:
            switch error {
            case .notInstalled, .versionNotFound: self = .notFound(message)
            case .offlineNotInstalled, .noFilesMatched: self = APIError(status: .conflict, code: "conflict", message: message)
            default: self = APIError(status: .internalServerError, code: "internal", message: message)
            }
        case let error as BundleError:
            switch error {
            case .destinationExists: self = APIError(status: .conflict, code: "conflict", message: message)
            case .fileSystem, .contractViolated, .tokenizerHashMismatch:
                self = APIError(status: .internalServerError, code: "internal", message: message)
            default: self = APIError(status: .unprocessableContent, code: "unprocessable", message: message)
            }
        case is PipelineError:
            self = APIError(status: .unprocessableContent, code: "unprocessable", message: message)
        case SyncError.removingPinned:
            self = APIError(status: .conflict, code: "conflict", message: message)
        case is SmokeError:
            self = .badRequest(message)
        case let error as HubError:
            switch error {
            case .repoNotFound, .revisionNotFound, .entryNotFound: self = .notFound(message)
            default: self = APIError(status: .badGateway, code: "upstream", message: message)
            }
        default:
            self = APIError(status: .internalServerError, code: "internal", message: message)
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try DaemonJSON.encoder().encode(ErrorBody(error: code, message: message))
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// The JSON body of every error answer.
public struct ErrorBody: Sendable, Codable, Equatable {
    public var error: String
    public var message: String
}
