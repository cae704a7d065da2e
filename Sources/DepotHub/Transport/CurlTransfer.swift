import CCurl
import Foundation

/// One request on one handle, run synchronously on the boundary thread. libcurl calls back into
/// it through an unretained pointer; `perform` keeps it alive for the whole transfer.
final class CurlTransfer: @unchecked Sendable {
    private let request: HTTPRequest
    private let sink: (any BodySink)?
    private let cancelLock = NSLock()
    private var cancelled = false

    // Touched only on the transfer thread.
    private var status = 0
    private var headers = HTTPHeaders()
    private var body = Data()
    private var sinkStarted = false
    private var sinkRefused = false
    private static let maxCollectedBody = 64 << 20

    init(request: HTTPRequest, sink: (any BodySink)?) {
        self.request = request
        self.sink = sink
    }

    func cancel() {
        cancelLock.withLock { cancelled = true }
    }

    var isCancelled: Bool { cancelLock.withLock { cancelled } }

    func perform(on handle: CurlHandle) -> Result<HTTPResponse, any Error> {
        let h = handle.raw
        curl_easy_reset(h)
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        for line in request.headers { headerList = curl_slist_append(headerList, line) }
        defer { curl_slist_free_all(headerList) }

        let context = Unmanaged.passUnretained(self).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorBytes in
            _ = depot_curl_setopt_string(h, CURLOPT_URL, request.url)
            _ = depot_curl_setopt_string(h, CURLOPT_USERAGENT, request.userAgent)
            _ = depot_curl_setopt_slist(h, CURLOPT_HTTPHEADER, headerList)
            _ = depot_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
            _ = depot_curl_setopt_long(h, CURLOPT_FOLLOWLOCATION, 0)  // redirects are followed by the caller
            _ = depot_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT, request.connectTimeoutSeconds)
            _ = depot_curl_setopt_long(h, CURLOPT_LOW_SPEED_LIMIT, 1)
            _ = depot_curl_setopt_long(h, CURLOPT_LOW_SPEED_TIME, request.stallSeconds)
            _ = depot_curl_setopt_long(h, CURLOPT_BUFFERSIZE, 512 * 1024)
            _ = depot_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, errorBytes.baseAddress)
            if request.method == .head { _ = depot_curl_setopt_long(h, CURLOPT_NOBODY, 1) }
            _ = depot_curl_setopt_pointer(h, CURLOPT_WRITEDATA, context)
            _ = depot_curl_setopt_pointer(h, CURLOPT_HEADERDATA, context)
            _ = depot_curl_setopt_pointer(h, CURLOPT_XFERINFODATA, context)
            _ = depot_curl_setopt_long(h, CURLOPT_NOPROGRESS, 0)
            _ = depot_curl_setopt_write_function(h) { data, size, count, context in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
                return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
            }
            _ = depot_curl_setopt_header_function(h) { data, size, count, context in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
                transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
                return size * count
            }
            _ = depot_curl_setopt_xferinfo_function(h) { context, _, _, _, _ in
                let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
                transfer.sink?.heartbeat()
                return transfer.isCancelled ? 1 : 0
            }
            return curl_easy_perform(h)
        }
        if let sink, sinkStarted, !sink.finish(), let reason = sink.abortReason { return .failure(reason) }
        if code == CURLE_OK {
            return .success(HTTPResponse(status: status, headers: headers, body: body, url: request.url))
        }
        if isCancelled { return .failure(CancellationError()) }
        if sinkRefused, let reason = sink?.abortReason { return .failure(reason) }
        let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        return .failure(TransportError(code: Int(code.rawValue), message: message, url: request.url))
    }

    private func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new response (after 100 Continue, for instance): start over.
            headers = HTTPHeaders()
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = value
        }
    }

    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if isCancelled { return 0 }
        if let sink, (200..<300).contains(status) {
            if !sinkStarted {
                sinkStarted = true
                if !sink.begin(status: status, headers: headers) { sinkRefused = true; return 0 }
            }
            if !sink.write(bytes) { sinkRefused = true; return 0 }
            return bytes.count
        }
        if body.count + bytes.count > Self.maxCollectedBody { return 0 }
        body.append(contentsOf: bytes)
        return bytes.count
    }
}
