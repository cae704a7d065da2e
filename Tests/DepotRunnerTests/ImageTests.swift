import DepotTestSupport
import Foundation
import Testing
@testable import DepotRunner

@Suite struct ImageTests {
    @Test func checksumsMatchPublishedCheckValues() {
        #expect(Checksums.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksums.crc32(Array("1234".utf8), Array("56789".utf8)) == 0xCBF4_3926)
        #expect(Checksums.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Checksums.adler32([UInt8](repeating: 255, count: 100_000)) == Self.referenceAdler32([UInt8](repeating: 255, count: 100_000)))
    }

    @Test func unitFloatsRoundLikeDiffusers() {
        let image = RGBImage(width: 2, height: 1, unitFloats: [0, 1, 0.5, 2, -1, Float.nan])
        // 0.5 * 255 = 127.5 rounds half to even: 128; out-of-range values clamp; NaN becomes 0.
        #expect(image.pixels == [0, 255, 128, 255, 0, 0])
    }

    /// Python's zlib (a real inflater, which also checks Adler-32) decodes the file; CRCs are checked too.
    @Test func pythonZlibDecodesThePNG() throws {
        let width = 173, height = 131  // more than one 64 KiB stored block
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for index in pixels.indices { pixels[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 7) }
        let image = RGBImage(width: width, height: height, pixels: pixels)
        let directory = try TemporaryDirectory("depot-png")
        let file = directory.path("image.png")
        try PNGEncoder.write(image, to: file)

        let script = """
        import struct, sys, zlib
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'bad signature'
        pos, idat, ihdr = 8, b'', None
        while pos < len(data):
            (length,) = struct.unpack('>I', data[pos:pos + 4])
            kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
            (crc,) = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
            assert zlib.crc32(kind + body) == crc, 'bad CRC in ' + kind.decode()
            if kind == b'IHDR': ihdr = struct.unpack('>IIBBBBB', body)
            if kind == b'IDAT': idat += body
            pos += 12 + length
        w, h = ihdr[0], ihdr[1]
        raw = zlib.decompress(idat)
        rows = [raw[r * (w * 3 + 1):(r + 1) * (w * 3 + 1)] for r in range(h)]
        assert all(row[0] == 0 for row in rows), 'unexpected filter'
        print(w, h, ihdr[2], ihdr[3])
        print(b''.join(row[1:] for row in rows).hex())
        """
        let result = try runChecked(try TestEnvironment.python(), ["-c", script, file.path])
        let lines = result.stdout.split(separator: "\n")
        try #require(lines.count == 2)
        #expect(lines[0] == "\(width) \(height) 8 2")
        #expect(lines[1] == pixels.map { String(format: "%02x", $0) }.joined())
    }

    private static func referenceAdler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt64 = 1, b: UInt64 = 0
        for byte in bytes { a = (a + UInt64(byte)) % 65521; b = (b + a) % 65521 }
        return UInt32(b << 16 | a)
    }
}
