/// One element of an immediate MIL value.
public enum MILScalar: Sendable, Equatable {
    case integer(Int64)
    case float(Double)
    case bool(Bool)
    case string(String)

    public var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .float(let value): value.rounded() == value ? Int64(exactly: value) : nil
        case .bool(let value): value ? 1 : 0
        case .string: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .float(let value): value
        case .bool(let value): value ? 1 : 0
        case .string: nil
        }
    }
}

/// A const's payload stored outside the program: a weight.bin path and the offset of its blob record.
public struct MILBlobReference: Sendable, Equatable, Hashable {
    /// As written in the program, usually "@model_path/weights/weight.bin".
    public var path: String
    /// The offset of the 64-byte blob record (not of the data).
    public var offset: UInt64

    public init(path: String, offset: UInt64) {
        self.path = path
        self.offset = offset
    }
}

/// A literal MIL value.
public indirect enum MILValue: Sendable, Equatable {
    case blobFile(MILBlobReference)
    /// A tensor's elements in row-major order (one element for a scalar).
    case elements([MILScalar])
    /// Raw little-endian element bytes (protobuf immediates of fp16 and sub-byte types).
    case bytes([UInt8])
    case list([MILTypedValue])
    case tuple([MILTypedValue])
    case dictionary([MILDictionaryEntry])
}

public struct MILDictionaryEntry: Sendable, Equatable {
    public var key: MILTypedValue
    public var value: MILTypedValue
}

/// A literal with its declared type (nil when the program does not state one).
public struct MILTypedValue: Sendable, Equatable {
    public var type: MILType?
    public var value: MILValue

    public init(type: MILType?, value: MILValue) {
        self.type = type
        self.value = value
    }

    public var blobReference: MILBlobReference? {
        if case .blobFile(let reference) = value { return reference }
        return nil
    }

    public var stringValue: String? {
        if case .elements(let elements) = value, elements.count == 1, case .string(let string) = elements[0] { return string }
        return nil
    }

    public var scalars: [MILScalar]? {
        if case .elements(let elements) = value { return elements }
        return nil
    }
}
