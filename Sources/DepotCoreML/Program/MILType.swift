/// An element type in MIL spelling ("fp16", "uint4", "bool", ...), as model.mil and coremltools write it.
public struct MILDataType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let float16 = MILDataType(rawValue: "fp16")
    public static let float32 = MILDataType(rawValue: "fp32")
    public static let string = MILDataType(rawValue: "string")
    public static let bool = MILDataType(rawValue: "bool")

    /// Bits one element occupies in a weight blob; nil for strings and unknown names.
    public var bitsPerElement: Int? {
        if let blobType { return blobType.bitsPerElement }
        switch rawValue {
        case "fp64", "int64", "uint64": return 64
        case "bool": return 8
        default: return nil
        }
    }

    /// The weight.bin record type that stores this element type, when one exists.
    public var blobType: WeightBlobDataType? { Self.blobTypes[rawValue] }

    private static let blobTypes: [String: WeightBlobDataType] =
        Dictionary(uniqueKeysWithValues: WeightBlobDataType.allCases.map { ($0.milName, $0) })

    /// The MIL.proto `DataType` enum numbers.
    static let protobufCodes: [UInt64: MILDataType] = [
        1: .bool, 2: .string, 10: .float16, 11: .float32, 12: "fp64", 13: "bf16",
        21: "int8", 22: "int16", 23: "int32", 24: "int64", 25: "int4",
        31: "uint8", 32: "uint16", 33: "uint32", 34: "uint64", 35: "uint4", 36: "uint2", 37: "uint1",
        38: "uint6", 39: "uint3", 40: "fp8e4m3fn", 41: "fp8e5m2",
    ]
}

extension MILDataType: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
}

/// A MIL value type: tensors (scalars are rank-0 tensors), lists, tuples, dictionaries, states.
public indirect enum MILType: Sendable, Equatable {
    /// `shape` entries are nil for symbolic or unknown dimensions.
    case tensor(MILDataType, shape: [Int?])
    case list(MILType, length: Int?)
    case tuple([MILType])
    case dictionary(key: MILType, value: MILType)
    case state(MILType)

    public static func scalar(_ dataType: MILDataType) -> MILType { .tensor(dataType, shape: []) }

    public var dataType: MILDataType? {
        if case .tensor(let dataType, _) = self { return dataType }
        return nil
    }

    /// The tensor's dimensions when all are known.
    public var knownShape: [Int]? {
        guard case .tensor(_, let shape) = self else { return nil }
        let known = shape.compactMap { $0 }
        return known.count == shape.count ? known : nil
    }
}

/// A named, typed variable: a function input or an operation output.
public struct MILNamedType: Sendable, Equatable {
    public var name: String
    public var type: MILType

    public init(name: String, type: MILType) {
        self.name = name
        self.type = type
    }
}
