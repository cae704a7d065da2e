import DepotTestSupport
import Foundation

/// Writes hand-made safetensors files (any header text, any data) into a temporary folder.
struct SafetensorsTestFiles {
    let temporary: TemporaryDirectory
    var directory: URL { temporary.url }

    init() throws { temporary = try TemporaryDirectory("depot-safetensors") }

    /// A file whose length prefix is `declaredLength` (default: the header's real length).
    func write(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil, name: String = "model.safetensors") throws -> URL {
        try write(headerBytes: Array(header.utf8), data: data, declaredLength: declaredLength, name: name)
    }

    func write(headerBytes: [UInt8], data: [UInt8] = [], declaredLength: UInt64? = nil, name: String = "model.safetensors") throws -> URL {
        var bytes: [UInt8] = []
        let length = declaredLength ?? UInt64(headerBytes.count)
        withUnsafeBytes(of: length.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: headerBytes)
        bytes.append(contentsOf: data)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    func writeRaw(_ bytes: [UInt8], name: String = "raw.safetensors") throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    static func littleEndianBytes(_ floats: [Float]) -> [UInt8] {
        floats.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    }

    static func littleEndianBytes(_ halves: [UInt16]) -> [UInt8] {
        halves.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    }
}
