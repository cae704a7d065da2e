/// The element types the safetensors format defines, spelled as in the header.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL"
    /// FP4 (e2m1), two elements per byte.
    case f4 = "F4"
    /// FP6 variants, four elements per three bytes.
    case f6E2M3 = "F6_E2M3"
    case f6E3M2 = "F6_E3M2"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case f8E8M0 = "F8_E8M0"
    case f8E4M3FNUZ = "F8_E4M3FNUZ"
    case f8E5M2FNUZ = "F8_E5M2FNUZ"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    /// Complex numbers: two interleaved F32.
    case c64 = "C64"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bits per element.
    public var bitSize: Int {
        switch self {
        case .f4: return 4
        case .f6E2M3, .f6E3M2: return 6
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E8M0, .f8E4M3FNUZ, .f8E5M2FNUZ: return 8
        case .i16, .u16, .f16, .bf16: return 16
        case .i32, .u32, .f32: return 32
        case .c64, .f64, .i64, .u64: return 64
        }
    }

    /// Bytes per element; 0 for the sub-byte types (F4, F6_*), whose sizes only `byteCount(elements:)` gives.
    public var byteSize: Int { bitSize / 8 }

    /// Bytes `count` elements occupy, or nil when they do not fill whole bytes (the reference
    /// reader rejects such tensors) or the size overflows.
    public func byteCount(elements count: Int) -> Int? {
        let (bits, overflow) = count.multipliedReportingOverflow(by: bitSize)
        guard !overflow, bits % 8 == 0 else { return nil }
        return bits / 8
    }

    /// Whether `SafetensorsFile.floats` can read tensors of this type (as float32).
    public var isReadableAsFloat: Bool { self == .f32 || self == .f16 || self == .bf16 }

    /// Whether `SafetensorsFile.integers` can read tensors of this type.
    public var isReadableAsInteger: Bool {
        switch self {
        case .u8, .i8, .i16, .u16, .i32, .u32, .i64: return true
        default: return false
        }
    }
}
