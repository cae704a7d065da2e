/// A zlib stream (RFC 1950) whose deflate data (RFC 1951) is made of stored blocks: valid for
/// every inflater, no compression. Images from the runner are small enough for that to be fine.
enum ZlibStoredStream {
    static let maximumBlockLength = 65_535

    static func encode(_ payload: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0x78, 0x01]  // deflate, 32 KiB window, no dictionary; check bits make it a multiple of 31
        output.reserveCapacity(payload.count + payload.count / maximumBlockLength * 5 + 16)
        var start = 0
        repeat {
            let end = min(start + maximumBlockLength, payload.count)
            let length = UInt16(end - start)
            output.append(end == payload.count ? 1 : 0)  // BFINAL bit, BTYPE 00 (stored)
            output.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
            output.append(contentsOf: [UInt8(~length & 0xFF), UInt8(~length >> 8)])
            output.append(contentsOf: payload[start..<end])
            start = end
        } while start < payload.count
        output.appendBigEndian(Checksums.adler32(payload))
        return output
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }
}
