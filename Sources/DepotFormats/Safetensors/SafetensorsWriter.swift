import Foundation

/// Writes safetensors files, streaming each tensor's bytes so large checkpoints never sit in memory.
public enum SafetensorsWriter {
    public struct Entry: Sendable {
        public let name: String
        public let dtype: SafetensorsDType
        public let shape: [Int]

        public init(name: String, dtype: SafetensorsDType, shape: [Int]) {
            (self.name, self.dtype, self.shape) = (name, dtype, shape)
        }

        public var byteCount: Int { dtype.byteCount(elements: shape.reduce(1, *))! }
    }

    /// Writes `entries` in order; `fill` receives each entry's index and a buffer of exactly its bytes.
    public static func write(to url: URL, metadata: [String: String]? = nil, entries: [Entry],
                             fill: (Int, UnsafeMutableRawBufferPointer) throws -> Void) throws {
        let header = headerBytes(metadata: metadata, entries: entries)
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: url.path) else {
            throw SafetensorsError.cannotOpen(file: url.path, reason: "cannot create the file")
        }
        defer { try? handle.close() }
        var prefix = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Data($0) }
        prefix.append(contentsOf: header)
        try handle.write(contentsOf: prefix)
        for (index, entry) in entries.enumerated() {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: entry.byteCount, alignment: 16)
            defer { buffer.deallocate() }
            try fill(index, buffer)
            try handle.write(contentsOf: Data(bytesNoCopy: buffer.baseAddress ?? UnsafeMutableRawPointer(bitPattern: 16)!,
                                              count: buffer.count, deallocator: .none))
        }
    }

    /// Writes small float32 tensors given as values.
    public static func write(to url: URL, metadata: [String: String]? = nil, float32 tensors: [(name: String, shape: [Int], values: [Float])]) throws {
        let entries = tensors.map { Entry(name: $0.name, dtype: .f32, shape: $0.shape) }
        try write(to: url, metadata: metadata, entries: entries) { index, buffer in
            tensors[index].values.withUnsafeBytes { buffer.copyMemory(from: $0) }
        }
    }

    /// The JSON header, space-padded to a multiple of 8 so the data section stays aligned.
    static func headerBytes(metadata: [String: String]?, entries: [Entry]) -> [UInt8] {
        var parts: [String] = []
        if let metadata {
            let fields = metadata.keys.sorted().map { "\(quoted($0)):\(quoted(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var offset = 0
        for entry in entries {
            let end = offset + entry.byteCount
            let shape = entry.shape.map(String.init).joined(separator: ",")
            parts.append("\(quoted(entry.name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var bytes = Array(("{" + parts.joined(separator: ",") + "}").utf8)
        while bytes.count % 8 != 0 { bytes.append(UInt8(ascii: " ")) }
        return bytes
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
