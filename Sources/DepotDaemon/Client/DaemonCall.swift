import CCurl
import DepotThreads
import Foundation

/// One HTTP exchange with the daemon over libcurl, run on its own thread (the client's one
/// blocking boundary). The body arrives in pieces through `receive`, which returns false to stop.
final class DaemonCall: @unchecked Sendable {
    struct Outcome: Sendable {
        var status: Int
        /// The body when the status is not 2xx (an error's JSON); 2xx bodies go to `receive`.
        var errorBody: Data
    }

    private let method: String
    private let url: String
    private let unixSocket: String?
    private let headers: [String]
    private let body: Data?
    private let timeoutSeconds: Int
    private let receive: @Sendable (UnsafeRawBufferPointer) -> Bool
    private let cancelLock = NSLock()
    private var cancelled = false

    // Touched only on the transfer thread.
    private var status = 0
    private var errorBody = Data()
    private var handle: UnsafeMutableRawPointer?

    init(method: String, url: String, unixSocket: String?, headers: [String], body: Data?, timeoutSeconds: Int,
         receive: @escaping @Sendable (UnsafeRawBufferPointer) -> Bool) {
        self.method = method
        self.url = url
        self.unixSocket = unixSocket
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
        self.receive = receive
    }

    func cancel() { cancelLock.withLock { cancelled = true } }
    private var isCancelled: Bool { cancelLock.withLock { cancelled } }

    /// Performs the exchange on a new thread; cancelling the task aborts it.
    func run() async -> Result<Outcome, DaemonClientError> {
        await withTaskCancellationHandler {
            await BlockingThread.run(name: "depot.daemon-call", stackSize: 1 << 20) { self.perform() }
        } onCancel: {
            cancel()
        }
    }

    private func perform() -> Result<Outcome, DaemonClientError> {
        guard let handle = curl_easy_init() else { return .failure(.unreachable(address: url, reason: "curl_easy_init failed")) }
        defer { curl_easy_cleanup(handle) }
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        for line in headers { headerList = curl_slist_append(headerList, line) }
        defer { curl_slist_free_all(headerList) }
        let context = Unmanaged.passUnretained(self).toOpaque()
        let payload = body ?? Data()
        let code: CURLcode = payload.withUnsafeBytes { payloadBytes in
            _ = depot_curl_setopt_string(handle, CURLOPT_URL, url)
            if let unixSocket { _ = depot_curl_setopt_string(handle, CURLOPT_UNIX_SOCKET_PATH, unixSocket) }
            _ = depot_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
            _ = depot_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
            _ = depot_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            _ = depot_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, 2)
            if timeoutSeconds > 0 { _ = depot_curl_setopt_long(handle, CURLOPT_TIMEOUT, timeoutSeconds) }
            if body != nil {
                _ = depot_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: payloadBytes.baseAddress))
                _ = depot_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, payloadBytes.count)
            }
            _ = depot_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
            _ = depot_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
            _ = depot_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
            _ = depot_curl_setopt_write_function(handle) { data, size, count, context in
                let call = Unmanaged<DaemonCall>.fromOpaque(context!).takeUnretainedValue()
                return call.received(UnsafeRawBufferPointer(start: data, count: size * count))
            }
            _ = depot_curl_setopt_xferinfo_function(handle) { context, _, _, _, _ in
                Unmanaged<DaemonCall>.fromOpaque(context!).takeUnretainedValue().isCancelled ? 1 : 0
            }
            self.handle = handle
            return curl_easy_perform(handle)
        }
        var responseCode = 0
        _ = depot_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        if code == CURLE_OK || (code == CURLE_WRITE_ERROR && responseCode != 0) || (isCancelled && responseCode != 0) {
            return .success(Outcome(status: responseCode, errorBody: errorBody))
        }
        return .failure(.unreachable(address: unixSocket.map { "unix:\($0)" } ?? url, reason: String(cString: curl_easy_strerror(code))))
    }

    private func received(_ bytes: UnsafeRawBufferPointer) -> Int {
        if isCancelled { return 0 }
        if status == 0, let handle {
            var code = 0
            _ = depot_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
            status = code
        }
        if !(200..<300).contains(status) {
            errorBody.append(contentsOf: bytes)
            return bytes.count
        }
        return receive(bytes) ? bytes.count : 0
    }
}
