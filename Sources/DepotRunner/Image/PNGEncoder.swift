import Foundation

/// Writes 8-bit RGB PNG files: signature, IHDR, one IDAT with a zlib stream of filtered rows, IEND.
public enum PNGEncoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public static func encode(_ image: RGBImage, compressed: Bool = true) -> Data {
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(image.width))
        header.appendBigEndian(UInt32(image.height))
        header.append(contentsOf: [8, 2, 0, 0, 0])  // bit depth 8, colour type RGB, deflate, filter set 0, no interlace

        let scanlines = compressed
            ? ScanlineFilter.filter(pixels: image.pixels, width: image.width, height: image.height)
            : unfilteredRows(image)

        var file = signature
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", ZlibStream.encode(scanlines, compressed: compressed), to: &file)
        appendChunk("IEND", [], to: &file)
        return Data(file)
    }

    public static func write(_ image: RGBImage, to url: URL) throws(ImageWriteError) {
        do {
            try encode(image).write(to: url, options: .atomic)
        } catch {
            throw .cannotWrite(url, underlying: error.localizedDescription)
        }
    }

    /// Rows with filter type None.
    private static func unfilteredRows(_ image: RGBImage) -> [UInt8] {
        let rowLength = image.width * 3
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity((rowLength + 1) * image.height)
        for row in 0..<image.height {
            scanlines.append(0)
            scanlines.append(contentsOf: image.pixels[(row * rowLength)..<((row + 1) * rowLength)])
        }
        return scanlines
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        file.appendBigEndian(UInt32(data.count))
        file.append(contentsOf: typeBytes)
        file.append(contentsOf: data)
        file.appendBigEndian(Checksums.crc32(typeBytes, data))
    }
}

public enum ImageWriteError: Error, CustomStringConvertible, LocalizedError {
    case cannotWrite(URL, underlying: String)

    public var description: String {
        switch self {
        case .cannotWrite(let url, let underlying):
            return "cannot write image \(url.path): \(underlying); check that the folder exists and is writable"
        }
    }

    public var errorDescription: String? { description }
}
