/// A cursor over protobuf wire-format bytes: yields (field number, value) pairs and lets the caller
/// decode only the fields it knows. Unknown fields are skipped by wire type.
struct ProtobufReader {
    enum WireValue {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes(UnsafeRawBufferPointer)
        case fixed32(UInt32)
    }

    private let buffer: UnsafeRawBufferPointer
    private var position = 0
    /// Names the message being decoded, for errors.
    var context: String

    init(_ buffer: UnsafeRawBufferPointer, context: String) {
        self.buffer = buffer
        self.context = context
    }

    var isAtEnd: Bool { position >= buffer.count }

    /// The next field, or nil at the end of the message.
    mutating func next() throws(ProtobufError) -> (field: Int, value: WireValue)? {
        guard !isAtEnd else { return nil }
        let key = try readVarint()
        let field = Int(truncatingIfNeeded: key >> 3)
        guard field > 0 else { throw .malformed(context: context, offset: position, reason: "field number 0") }
        switch key & 7 {
        case 0: return (field, .varint(try readVarint()))
        case 1: return (field, .fixed64(try readFixed(UInt64.self)))
        case 2:
            let length = try readVarint()
            guard length <= UInt64(buffer.count - position) else {
                throw .malformed(context: context, offset: position,
                                 reason: "field \(field) is \(length) bytes long but only \(buffer.count - position) remain")
            }
            let start = position
            position += Int(length)
            return (field, .bytes(UnsafeRawBufferPointer(rebasing: buffer[start..<position])))
        case 5: return (field, .fixed32(try readFixed(UInt32.self)))
        case let wireType:
            throw .malformed(context: context, offset: position, reason: "field \(field) has unsupported wire type \(wireType)")
        }
    }

    private mutating func readVarint() throws(ProtobufError) -> UInt64 {
        guard let value = decodeVarint(buffer, &position) else {
            throw .malformed(context: context, offset: position, reason: "truncated or overlong varint")
        }
        return value
    }

    private mutating func readFixed<T: FixedWidthInteger>(_: T.Type) throws(ProtobufError) -> T {
        let size = MemoryLayout<T>.size
        guard buffer.count - position >= size else {
            throw .malformed(context: context, offset: position, reason: "truncated \(size * 8)-bit field")
        }
        let value = T(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: T.self))
        position += size
        return value
    }
}

extension ProtobufReader.WireValue {
    func integer(_ context: String, field: Int) throws(ProtobufError) -> UInt64 {
        guard case .varint(let value) = self else { throw .wrongWireType(context: context, field: field, expected: "varint") }
        return value
    }

    func message(_ context: String, field: Int) throws(ProtobufError) -> ProtobufReader {
        guard case .bytes(let bytes) = self else { throw .wrongWireType(context: context, field: field, expected: "length-delimited") }
        return ProtobufReader(bytes, context: context)
    }

    func string(_ context: String, field: Int) throws(ProtobufError) -> String {
        guard case .bytes(let bytes) = self else { throw .wrongWireType(context: context, field: field, expected: "length-delimited") }
        return String(decoding: bytes, as: UTF8.self)
    }

    func rawBytes(_ context: String, field: Int) throws(ProtobufError) -> [UInt8] {
        guard case .bytes(let bytes) = self else { throw .wrongWireType(context: context, field: field, expected: "length-delimited") }
        return Array(bytes)
    }

    /// Repeated scalar fields arrive packed (one length-delimited run) or one value per key.
    func packedVarints(_ context: String, field: Int) throws(ProtobufError) -> [UInt64] {
        switch self {
        case .varint(let value): return [value]
        case .bytes(let bytes):
            var position = 0
            var values: [UInt64] = []
            while position < bytes.count {
                guard let value = decodeVarint(bytes, &position) else {
                    throw .malformed(context: context, offset: position, reason: "packed field \(field) ends inside a varint")
                }
                values.append(value)
            }
            return values
        default: throw .wrongWireType(context: context, field: field, expected: "varint or packed varints")
        }
    }

    func packedFixed32(_ context: String, field: Int) throws(ProtobufError) -> [UInt32] {
        if case .fixed32(let value) = self { return [value] }
        return try packedFixed(UInt32.self, context, field: field)
    }

    func packedFixed64(_ context: String, field: Int) throws(ProtobufError) -> [UInt64] {
        if case .fixed64(let value) = self { return [value] }
        return try packedFixed(UInt64.self, context, field: field)
    }

    private func packedFixed<T: FixedWidthInteger>(_: T.Type, _ context: String, field: Int) throws(ProtobufError) -> [T] {
        let size = MemoryLayout<T>.size
        guard case .bytes(let bytes) = self else {
            throw .wrongWireType(context: context, field: field, expected: "fixed\(size * 8) or packed fixed\(size * 8)")
        }
        guard bytes.count % size == 0 else {
            throw .malformed(context: context, offset: 0, reason: "packed field \(field) is not a multiple of \(size) bytes")
        }
        return (0..<bytes.count / size).map { T(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * size, as: T.self)) }
    }
}

/// Decodes one base-128 varint at `position`, advancing it; nil when the bytes end first or it exceeds 64 bits.
private func decodeVarint(_ buffer: UnsafeRawBufferPointer, _ position: inout Int) -> UInt64? {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while position < buffer.count && shift < 64 {
        let byte = buffer[position]
        position += 1
        result |= UInt64(byte & 0x7F) << shift
        if byte & 0x80 == 0 { return result }
        shift += 7
    }
    return nil
}

public enum ProtobufError: Error, CustomStringConvertible, Equatable {
    case malformed(context: String, offset: Int, reason: String)
    case wrongWireType(context: String, field: Int, expected: String)

    public var description: String {
        switch self {
        case .malformed(let context, let offset, let reason):
            "malformed protobuf in \(context) at byte \(offset): \(reason)"
        case .wrongWireType(let context, let field, let expected):
            "malformed protobuf in \(context): field \(field) should be \(expected)"
        }
    }
}
