/// The element types the safetensors format defines, spelled as in the header.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
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
