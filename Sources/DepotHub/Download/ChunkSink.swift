import Foundation

/// The server answered a Range request with the whole file (200) or 416: start again without Range.
struct RangeNotHonoured: Error {}

/// Writes the body of one chunk's response at its place in the partial file.
final class ChunkSink: BodySink, @unchecked Sendable {
    private let state: DownloadState
    private let index: Int
    private let fileDescriptor: Int32
    private let sentRange: Bool
    private var offset: Int64
    private let end: Int64
    private(set) var abortReason: (any Error)?

    init(state: DownloadState, index: Int, fileDescriptor: Int32, sentRange: Bool) {
        let chunk = state.chunk(index)
        self.state = state
        self.index = index
        self.fileDescriptor = fileDescriptor
        self.sentRange = sentRange
        self.offset = chunk.start + chunk.done
        self.end = chunk.start + chunk.length
    }

    func begin(status: Int, headers: HTTPHeaders) -> Bool {
        if status == 206 {
            guard let range = headers["Content-Range"].flatMap(HeaderValues.contentRange), range.first == offset else {
                abortReason = HubError.invalidResponse(
                    url: state.path, reason: "206 with Content-Range '\(headers["Content-Range"] ?? "")' for offset \(offset)")
                return false
            }
            if let total = range.total, total != state.size {
                abortReason = HubError.sizeMismatch(path: state.path, expected: state.size, actual: total)
                return false
            }
            return true
        }
        if sentRange {
            abortReason = RangeNotHonoured()
            return false
        }
        if let length = headers["Content-Length"].flatMap({ Int64($0) }), length != state.size {
            abortReason = HubError.sizeMismatch(path: state.path, expected: state.size, actual: length)
            return false
        }
        return true
    }

    func heartbeat() {
        state.saveIfDue()
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard offset + Int64(bytes.count) <= end else {
            abortReason = HubError.sizeMismatch(path: state.path, expected: state.size, actual: offset + Int64(bytes.count))
            return false
        }
        var written = 0
        while written < bytes.count {
            let result = pwrite(fileDescriptor, bytes.baseAddress! + written, bytes.count - written, off_t(offset) + off_t(written))
            if result < 0 {
                if errno == EINTR { continue }
                abortReason = HubError.fileSystem(path: state.partial.path, reason: String(cString: strerror(errno)))
                return false
            }
            written += result
        }
        offset += Int64(bytes.count)
        state.record(chunk: index, count: Int64(bytes.count))
        return true
    }
}
