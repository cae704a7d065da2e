import Foundation

enum HTTPMethod: String, Sendable {
    case get = "GET"
    case head = "HEAD"
}

/// Response header fields of the last response of a transfer, looked up case-insensitively.
struct HTTPHeaders: Sendable {
    private var fields: [String: String] = [:]

    subscript(name: String) -> String? {
        get { fields[name.lowercased()] }
        set { fields[name.lowercased()] = newValue }
    }
}

struct HTTPRequest: Sendable {
    var url: String
    var method: HTTPMethod = .get
    /// Complete header lines, e.g. `Range: bytes=0-99`.
    var headers: [String] = []
    var userAgent: String
    /// Abort when fewer than one byte a second arrives for this many seconds (a stall, not a total timeout).
    var stallSeconds: Int
    var connectTimeoutSeconds: Int = 30
}

struct HTTPResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    /// The body of a response that had no sink (or of a non-2xx response), capped in size.
    var body: Data
    var url: String
}

/// Receives the body of a 2xx response on the transfer's thread.
protocol BodySink: AnyObject, Sendable {
    /// Called before the first body byte; return false to abort the transfer.
    func begin(status: Int, headers: HTTPHeaders) -> Bool
    /// Return false to abort the transfer (the sink keeps the reason).
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool
    /// Why the sink aborted, if it did.
    var abortReason: (any Error)? { get }
    /// Called from libcurl's progress callback: often while bytes flow, about once a second while stalled.
    func heartbeat()
    /// Called once the transfer ended, however it ended; false if the sink failed to finish its work.
    func finish() -> Bool
}

/// A libcurl-level failure (no HTTP status): connection refused, reset, short body, stall...
struct TransportError: Error, Sendable, CustomStringConvertible {
    var code: Int
    var message: String
    var url: String

    /// CURLE_COULDNT_CONNECT, HTTP2, PARTIAL_FILE, OPERATION_TIMEDOUT, SSL_CONNECT_ERROR,
    /// GOT_NOTHING, SEND_ERROR, RECV_ERROR, HTTP2_STREAM: worth another attempt.
    var isTransient: Bool { [7, 16, 18, 28, 35, 52, 55, 56, 92].contains(code) }
    var isStall: Bool { code == 28 }

    var description: String { "\(message) (curl error \(code)) for \(url)" }
}
