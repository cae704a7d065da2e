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
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
    private var buffered = 0
    private var lastFlush = DispatchTime.now().uptimeNanoseconds
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

    deinit { buffer.deallocate() }

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

    /// Flushes bytes held back for a second, so a stalled transfer's progress reaches the sidecar.
    func heartbeat() {
        if buffered > 0 && DispatchTime.now().uptimeNanoseconds - lastFlush >= 1_000_000_000 { _ = flush() }
        state.saveIfDue()
    }

    /// libcurl hands over at most 16 KiB a call: bytes are gathered and written 1 MiB at a time,
    /// which saves a system call and a wake-up of the hasher per 16 KiB.
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard offset + Int64(buffered + bytes.count) <= end else {
            abortReason = HubError.sizeMismatch(
                path: state.path, expected: state.size, actual: offset + Int64(buffered + bytes.count))
            return false
        }
        if buffered + bytes.count > buffer.count && !flush() { return false }
        if bytes.count >= buffer.count { return writeThrough(bytes) }
        UnsafeMutableRawBufferPointer(rebasing: buffer[buffered..<buffered + bytes.count]).copyMemory(from: bytes)
        buffered += bytes.count
        return buffered < buffer.count || flush()
    }

    func finish() -> Bool { flush() }

    private func flush() -> Bool {
        guard buffered > 0 else { return true }
        let count = buffered
        buffered = 0
        lastFlush = DispatchTime.now().uptimeNanoseconds
        return writeThrough(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }

    private func writeThrough(_ bytes: UnsafeRawBufferPointer) -> Bool {
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
