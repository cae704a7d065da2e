/// The two checksums a PNG file needs: CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) over
/// each chunk, and Adler-32 over the uncompressed zlib payload.
enum Checksums {
    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = (value & 1) != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    /// CRC-32 of several byte sequences in order, as if concatenated.
    static func crc32(_ parts: [UInt8]...) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for part in parts {
            for byte in part {
                crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        return crc ^ 0xFFFF_FFFF
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        let modulus: UInt32 = 65521
        var a: UInt32 = 1
        var b: UInt32 = 0
        // 5552 is the longest run for which the sums cannot overflow 32 bits before reducing.
        var start = 0
        while start < bytes.count {
            let end = min(start + 5552, bytes.count)
            for index in start..<end {
                a &+= UInt32(bytes[index])
                b &+= a
            }
            a %= modulus
            b %= modulus
            start = end
        }
        return (b << 16) | a
    }
}
