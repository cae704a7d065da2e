import DepotFormats

/// Element types of a weight.bin blob record (the record's u32 `dtype` field).
public enum WeightBlobDataType: UInt32, Sendable, CaseIterable {
    case float16 = 1
    case float32 = 2
    case uint8 = 3
    case int8 = 4
    case bfloat16 = 5
    case int16 = 6
    case uint16 = 7
    case int4 = 8
    case uint1 = 9
    case uint2 = 10
    case uint4 = 11
    case uint3 = 12
    case uint6 = 13
    case int32 = 14
    case uint32 = 15
    case float8E4M3FN = 16
    case float8E5M2 = 17

    public var bitsPerElement: Int {
        switch self {
        case .uint1: 1
        case .uint2: 2
        case .uint3: 3
        case .int4, .uint4: 4
        case .uint6: 6
        case .uint8, .int8, .float8E4M3FN, .float8E5M2: 8
        case .float16, .bfloat16, .int16, .uint16: 16
        case .float32, .int32, .uint32: 32
        }
    }

    /// The encoding statistics read this type's raw bytes with; nil for sub-byte and float8 types.
    var storedElement: StoredElement? {
        switch self {
        case .float16: .float16
        case .bfloat16: .bfloat16
        case .float32: .float32
        case .uint8, .int8: .integer(bytes: 1)
        case .int16, .uint16: .integer(bytes: 2)
        case .int32, .uint32: .integer(bytes: 4)
        case .int4, .uint1, .uint2, .uint3, .uint4, .uint6, .float8E4M3FN, .float8E5M2: nil
        }
    }

    /// The MIL spelling of the type, as model.mil and coremltools write it.
    public var milName: String {
        switch self {
        case .float16: "fp16"
        case .float32: "fp32"
        case .uint8: "uint8"
        case .int8: "int8"
        case .bfloat16: "bf16"
        case .int16: "int16"
        case .uint16: "uint16"
        case .int4: "int4"
        case .uint1: "uint1"
        case .uint2: "uint2"
        case .uint4: "uint4"
        case .uint3: "uint3"
        case .uint6: "uint6"
        case .int32: "int32"
        case .uint32: "uint32"
        case .float8E4M3FN: "fp8e4m3fn"
        case .float8E5M2: "fp8e5m2"
        }
    }

    /// Bytes that `count` packed elements occupy: sub-byte values pack LSB first, the last byte padded.
    public func byteCount(elements count: Int) -> Int {
        (count * bitsPerElement + 7) / 8
    }
}
