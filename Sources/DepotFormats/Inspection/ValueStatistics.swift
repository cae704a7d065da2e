/// How stored elements are encoded, for statistics computed straight from a tensor's raw bytes.
/// Integers need only their width: distinct bit patterns are distinct values, and zero is all bits clear.
public enum StoredElement: Sendable, Equatable {
    case float16, bfloat16, float32, float64
    case integer(bytes: Int)

    var byteWidth: Int {
        switch self {
        case .float16, .bfloat16: 2
        case .float32: 4
        case .float64: 8
        case .integer(let bytes): bytes
        }
    }
}

/// Unique values and the fraction of zeros of a weight, counted as coremltools' get_weights_metadata
/// counts them: values compare as numbers (+0 and -0 are one value, every NaN is one value, as numpy's
/// unique), and a value is zero when |v| <= 1e-12.
public struct ValueStatistics: Sendable, Equatable {
    public static let zeroTolerance = 1e-12

    public var uniqueValues: Int
    public var sparsity: Double

    public init(uniqueValues: Int, sparsity: Double) {
        self.uniqueValues = uniqueValues
        self.sparsity = sparsity
    }

    /// Statistics of values already decoded (a decompressed weight).
    public init(_ values: [Float]) {
        // Float is float32 in memory: the stored path counts it, so both follow one rule.
        self = values.withUnsafeBytes { ValueStatistics(stored: $0, as: .float32, count: values.count)! }
    }

    /// Statistics of `count` elements stored in `bytes` (little-endian); nil when the bytes are too few.
    /// Types of at most 16 bits are counted in a histogram over every bit pattern (one pass, no sorting),
    /// wider ones by sorting their canonical bit patterns.
    public init?(stored bytes: UnsafeRawBufferPointer, as element: StoredElement, count: Int) {
        guard count >= 0, count * element.byteWidth <= bytes.count else { return nil }
        guard count > 0 else {
            self.init(uniqueValues: 0, sparsity: 0)
            return
        }
        switch element {
        case .float16 where count < Self.histogramThreshold:
            self.init((0..<count).map { Float(Float16(bitPattern: Self.load(bytes, $0, as: UInt16.self))) })
        case .float16:
            self = Self.histogram(bytes, count: count, as: UInt16.self, classes: PatternClass.float16)
        case .bfloat16 where count < Self.histogramThreshold:
            self.init((0..<count).map { Float(bitPattern: UInt32(Self.load(bytes, $0, as: UInt16.self)) << 16) })
        case .bfloat16:
            self = Self.histogram(bytes, count: count, as: UInt16.self, classes: PatternClass.bfloat16)
        case .float32:
            self = Self.sorted(bytes, count: count, as: UInt32.self, canonical: Self.canonical32) {
                Double(abs(Float(bitPattern: $0))) <= Self.zeroTolerance
            }
        case .float64:
            self = Self.sorted(bytes, count: count, as: UInt64.self, canonical: Self.canonical64) {
                abs(Double(bitPattern: $0)) <= Self.zeroTolerance
            }
        case .integer(1):
            self = Self.histogram(bytes, count: count, as: UInt8.self, classes: PatternClass.integer8)
        case .integer(2) where count < Self.histogramThreshold:
            self = Self.sorted(bytes, count: count, as: UInt16.self, canonical: { $0 }, isZero: { $0 == 0 })
        case .integer(2):
            self = Self.histogram(bytes, count: count, as: UInt16.self, classes: PatternClass.integer16)
        case .integer(4):
            self = Self.sorted(bytes, count: count, as: UInt32.self, canonical: { $0 }, isZero: { $0 == 0 })
        case .integer(8):
            self = Self.sorted(bytes, count: count, as: UInt64.self, canonical: { $0 }, isZero: { $0 == 0 })
        case .integer:
            return nil
        }
    }

    /// Below this many elements, sorting beats clearing a 65,536-entry histogram.
    private static let histogramThreshold = 1 << 13

    private static func load<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, _ index: Int, as: T.Type) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: index &* MemoryLayout<T>.size, as: T.self))
    }

    private static func canonical32(_ bits: UInt32) -> UInt32 {
        let value = Float(bitPattern: bits)
        return value.isNaN ? Float.nan.bitPattern : (value == 0 ? 0 : bits)
    }

    private static func canonical64(_ bits: UInt64) -> UInt64 {
        let value = Double(bitPattern: bits)
        return value.isNaN ? Double.nan.bitPattern : (value == 0 ? 0 : bits)
    }

    /// What a bit pattern of a type of at most 16 bits is, for folding a histogram into statistics.
    /// Tables are built once per type, so folding never decodes a pattern.
    enum PatternClass: UInt8 {
        case value, tinyValue, zero, nan

        static let float16 = table(bits: 16) { Double(Float(Float16(bitPattern: UInt16($0)))) }
        static let bfloat16 = table(bits: 16) { Double(Float(bitPattern: UInt32($0) << 16)) }
        static let integer16 = table(bits: 16) { Double($0) }
        static let integer8 = table(bits: 8) { Double($0) }

        private static func table(bits: Int, value: (Int) -> Double) -> [PatternClass] {
            (0..<(1 << bits)).map { pattern in
                let number = value(pattern)
                if number.isNaN { return .nan }
                if number == 0 { return .zero }
                return abs(number) <= zeroTolerance ? .tinyValue : .value
            }
        }
    }

    /// Counts every bit pattern in one tight pass, then folds them: distinct patterns are distinct
    /// numbers except the two zeros and the many NaNs, each one value.
    private static func histogram<T: FixedWidthInteger & UnsignedInteger>(
        _ bytes: UnsafeRawBufferPointer, count: Int, as: T.Type, classes: [PatternClass]
    ) -> ValueStatistics {
        var counts = [Int](repeating: 0, count: classes.count)
        counts.withUnsafeMutableBufferPointer { counts in
            for index in 0..<count {
                counts[Int(load(bytes, index, as: T.self))] &+= 1
            }
        }
        var unique = 0, zeros = 0
        var sawZero = false, sawNaN = false
        for pattern in 0..<classes.count where counts[pattern] > 0 {
            switch classes[pattern] {
            case .value: unique += 1
            case .tinyValue: unique += 1; zeros += counts[pattern]
            case .zero: unique += sawZero ? 0 : 1; sawZero = true; zeros += counts[pattern]
            case .nan: unique += sawNaN ? 0 : 1; sawNaN = true
            }
        }
        return ValueStatistics(uniqueValues: unique, sparsity: Double(zeros) / Double(count))
    }

    private static func sorted<T: FixedWidthInteger & UnsignedInteger>(
        _ bytes: UnsafeRawBufferPointer, count: Int, as: T.Type, canonical: (T) -> T, isZero: (T) -> Bool
    ) -> ValueStatistics {
        var keys = (0..<count).map { canonical(load(bytes, $0, as: T.self)) }
        let zeros = keys.reduce(0) { $0 + (isZero($1) ? 1 : 0) }
        return ValueStatistics(uniqueValues: distinctCount(&keys), sparsity: Double(zeros) / Double(count))
    }

    private static func distinctCount<T: Comparable>(_ keys: inout [T]) -> Int {
        guard !keys.isEmpty else { return 0 }
        keys.sort()
        var unique = 1
        for index in 1..<keys.count where keys[index] != keys[index - 1] { unique += 1 }
        return unique
    }
}

extension SafetensorsDType {
    /// The encoding statistics read this dtype's raw bytes with; nil for packed sub-byte floats,
    /// float8 formats and complex numbers.
    public var storedElement: StoredElement? {
        switch self {
        case .f16: .float16
        case .bf16: .bfloat16
        case .f32: .float32
        case .f64: .float64
        case .bool, .u8, .i8: .integer(bytes: 1)
        case .i16, .u16: .integer(bytes: 2)
        case .i32, .u32: .integer(bytes: 4)
        case .i64, .u64: .integer(bytes: 8)
        default: nil
        }
    }
}
