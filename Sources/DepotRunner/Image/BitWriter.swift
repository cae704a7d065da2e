/// Packs bits least-significant first, the order deflate streams use.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var count = 0

    /// Appends the low `width` bits of `value`, lowest bit first.
    mutating func write(_ value: UInt32, width: Int) {
        buffer |= UInt64(value) << UInt64(count)
        count += width
        while count >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            count -= 8
        }
    }

    /// Appends a Huffman code, which deflate stores most-significant bit first.
    mutating func writeCode(_ code: UInt32, width: Int) {
        var reversed: UInt32 = 0
        for bit in 0..<width where code & (1 << UInt32(bit)) != 0 {
            reversed |= 1 << UInt32(width - 1 - bit)
        }
        write(reversed, width: width)
    }

    /// Pads the last byte with zero bits.
    mutating func flush() -> [UInt8] {
        if count > 0 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer = 0
            count = 0
        }
        return bytes
    }
}
