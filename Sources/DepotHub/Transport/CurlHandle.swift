import CCurl
import Foundation

/// Owns one libcurl easy handle. A handle is used by one transfer at a time; reusing it keeps
/// its connection alive for the next request to the same host.
final class CurlHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer

    private static let globalInit: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    init() {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        raw = handle
    }

    deinit { curl_easy_cleanup(raw) }

    /// Performs `request` on a dedicated thread; the body of a 2xx response goes to `sink`
    /// (else it is collected into `HTTPResponse.body`). Cancelling the task aborts the transfer.
    func perform(_ request: HTTPRequest, sink: (any BodySink)? = nil) async throws -> HTTPResponse {
        let transfer = CurlTransfer(request: request, sink: sink)
        let outcome = await withTaskCancellationHandler {
            await BlockingBoundary.run { transfer.perform(on: self) }
        } onCancel: {
            transfer.cancel()
        }
        switch outcome {
        case .success(let response): return response
        case .failure(let failure): throw failure
        }
    }
}
