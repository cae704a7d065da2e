/// A zlib stream (RFC 1950) around deflate data: compressed with fixed Huffman codes, or made of
/// stored blocks (no compression, valid for every inflater).
enum ZlibStream {
    static let maximumStoredBlockLength = 65_535

    static func encode(_ payload: [UInt8], compressed: Bool = true) -> [UInt8] {
        var output: [UInt8] = [0x78, 0x01]  // deflate, 32 KiB window, no dictionary; check bits make it a multiple of 31
        output.append(contentsOf: compressed ? DeflateEncoder.compress(payload) : storedBlocks(payload))
        output.appendBigEndian(Checksums.adler32(payload))
        return output
    }

    private static func storedBlocks(_ payload: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(payload.count + payload.count / maximumStoredBlockLength * 5 + 5)
        var start = 0
        repeat {
            let end = min(start + maximumStoredBlockLength, payload.count)
            let length = UInt16(end - start)
            output.append(end == payload.count ? 1 : 0)  // BFINAL bit, BTYPE 00 (stored)
            output.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
            output.append(contentsOf: [UInt8(~length & 0xFF), UInt8(~length >> 8)])
            output.append(contentsOf: payload[start..<end])
            start = end
        } while start < payload.count
        return output
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }
}
