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

    /// Images that exercise literals, long matches, overlapping matches and every row filter.
    static let images: [(String, RGBImage)] = {
        let width = 173, height = 131  // more than one 64 KiB stored block
        var noise = [UInt8](repeating: 0, count: width * height * 3)
        for index in noise.indices { noise[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 7) }
        var gradient = [UInt8](repeating: 0, count: width * height * 3)
        for row in 0..<height {
            for column in 0..<width {
                let base = (row * width + column) * 3
                gradient[base] = UInt8(column * 255 / width)
                gradient[base + 1] = UInt8(row * 255 / height)
                gradient[base + 2] = UInt8((row + column) % 256)
            }
        }
        return [("noise", RGBImage(width: width, height: height, pixels: noise)),
                ("gradient", RGBImage(width: width, height: height, pixels: gradient)),
                ("flat", RGBImage(width: 300, height: 200, pixels: [UInt8](repeating: 77, count: 300 * 200 * 3))),
                ("single pixel", RGBImage(width: 1, height: 1, pixels: [1, 2, 3]))]
    }()

    /// Python's zlib (a real inflater, which also checks Adler-32) decodes the file; CRCs are checked too.
    @Test(arguments: [true, false])
    func pythonDecodesThePNG(compressed: Bool) throws {
        let directory = try TemporaryDirectory("depot-png")
        for (name, image) in Self.images {
            let file = directory.path("image.png")
            try PNGEncoder.encode(image, compressed: compressed).write(to: file)
            let result = try runChecked(try TestEnvironment.python(), ["-c", Self.decoder, file.path])
            let lines = result.stdout.split(separator: "\n")
            try #require(lines.count == 2, "\(name): \(result.stderr)")
            #expect(lines[0] == "\(image.width) \(image.height) 8 2", "\(name)")
            #expect(lines[1] == image.pixels.map { String(format: "%02x", $0) }.joined(), "\(name): pixels differ")
        }
    }

    @Test func compressionShrinksSmoothImages() {
        for (name, image) in Self.images where name == "gradient" || name == "flat" {
            let stored = PNGEncoder.encode(image, compressed: false).count
            let compressed = PNGEncoder.encode(image).count
            #expect(compressed * 4 < stored, "\(name): \(compressed) bytes compressed vs \(stored) stored")
        }
    }

    /// A PNG reader for 8-bit RGB: chunk CRCs, zlib, and the five row filters.
    static let decoder = """
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
    raw, stride, out, prev = zlib.decompress(idat), w * 3, bytearray(), bytearray(w * 3)
    for r in range(h):
        kind, row = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):
            a = row[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            if kind == 1: p = a
            elif kind == 2: p = b
            elif kind == 3: p = (a + b) // 2
            elif kind == 4:
                e = a + b - c
                pa, pb, pc = abs(e - a), abs(e - b), abs(e - c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            else: p = 0
            row[i] = (row[i] + p) & 255
        out += row
        prev = row
    print(w, h, ihdr[2], ihdr[3])
    print(bytes(out).hex())
    """

    private static func referenceAdler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt64 = 1, b: UInt64 = 0
        for byte in bytes { a = (a + UInt64(byte)) % 65521; b = (b + a) % 65521 }
        return UInt32(b << 16 | a)
    }
}
