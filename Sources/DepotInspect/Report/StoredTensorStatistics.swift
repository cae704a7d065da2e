import DepotFormats

/// Distinct values and the fraction of zeros of a stored tensor, read from its raw bytes.
/// Values compare as numbers: +0 and -0 are one value, and every NaN is one value (as numpy's unique).
public enum StoredTensorStatistics {
    /// Tensors up to this many elements get statistics by default; `--stats` lifts the limit.
    public static let defaultElementLimit = 1 << 18

    public struct Result: Sendable, Equatable {
        public var uniqueValues: Int
        public var sparsity: Double
    }

    /// nil for dtypes without a value semantics here (packed sub-byte floats, complex).
    public static func compute(_ bytes: UnsafeRawBufferPointer, dtype: SafetensorsDType, count: Int) -> Result? {
        guard count > 0 else { return Result(uniqueValues: 0, sparsity: 0) }
        switch dtype {
        case .f16: return small(bytes, count: count, as: UInt16.self) { canonicalHalf($0, exponentMask: 0x7C00, mantissaMask: 0x03FF) }
        case .bf16: return small(bytes, count: count, as: UInt16.self) { canonicalHalf($0, exponentMask: 0x7F80, mantissaMask: 0x007F) }
        case .i16, .u16: return small(bytes, count: count, as: UInt16.self) { $0 }
        case .bool, .u8, .i8: return small(bytes, count: count, as: UInt8.self) { UInt16($0) }
        case .f32: return sorted(bytes, count: count, as: UInt32.self) { bits in
            let value = Float(bitPattern: bits)
            return value.isNaN ? Float.nan.bitPattern : (value == 0 ? 0 : bits)
        }
        case .i32, .u32: return sorted(bytes, count: count, as: UInt32.self) { $0 }
        case .f64: return sorted(bytes, count: count, as: UInt64.self) { bits in
            let value = Double(bitPattern: bits)
            return value.isNaN ? Double.nan.bitPattern : (value == 0 ? 0 : bits)
        }
        case .i64, .u64: return sorted(bytes, count: count, as: UInt64.self) { $0 }
        default: return nil
        }
    }

    /// 16-bit floats: -0 -> +0, every NaN -> one pattern.
    private static func canonicalHalf(_ bits: UInt16, exponentMask: UInt16, mantissaMask: UInt16) -> UInt16 {
        if bits & 0x7FFF == 0 { return 0 }
        if bits & exponentMask == exponentMask, bits & mantissaMask != 0 { return exponentMask | mantissaMask }
        return bits
    }

    /// Types of at most 16 bits: a presence bitmap over every possible pattern.
    private static func small<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, count: Int, as: T.Type,
                                                    canonical: (T) -> UInt16) -> Result {
        var seen = [Bool](repeating: false, count: 1 << 16)
        var unique = 0, zeros = 0
        for index in 0..<count {
            let key = Int(canonical(T(littleEndian: bytes.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.size, as: T.self))))
            if key == 0 { zeros += 1 }
            if !seen[key] { seen[key] = true; unique += 1 }
        }
        return Result(uniqueValues: unique, sparsity: Double(zeros) / Double(count))
    }

    private static func sorted<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, count: Int, as: T.Type,
                                                     canonical: (T) -> T) -> Result {
        var keys = (0..<count).map { canonical(T(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))) }
        let zeros = keys.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        keys.sort()
        var unique = 1
        for index in 1..<keys.count where keys[index] != keys[index - 1] { unique += 1 }
        return Result(uniqueValues: unique, sparsity: Double(zeros) / Double(count))
    }
}
