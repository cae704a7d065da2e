import DepotFormats
import Foundation
import Testing

@Suite struct ValueStatisticsTests {
    /// A pool with duplicates, both zeros, several NaN bit patterns, and values around the 1e-12 zero tolerance.
    static func pool(_ random: inout SafetensorsFuzzTests.SeededGenerator) -> [Double] {
        var values: [Double] = [0, -0.0, .nan, -.nan, .infinity, -.infinity, 1, -1, 0.5, 65504, 1e-13, -1e-13, 1e-11]
        values += (0..<40).map { _ in Double(Float.random(in: -4...4, using: &random)) }
        return values
    }

    /// numpy's unique and coremltools' |v| <= 1e-12 sparsity, written out plainly over Doubles.
    static func expected(_ values: [Double]) -> ValueStatistics {
        var distinct = Set<Double>()
        var sawNaN = false
        for value in values {
            if value.isNaN { sawNaN = true } else { distinct.insert(value == 0 ? 0 : value) }
        }
        let zeros = values.filter { abs($0) <= 1e-12 }.count
        return ValueStatistics(uniqueValues: distinct.count + (sawNaN ? 1 : 0), sparsity: Double(zeros) / Double(values.count))
    }

    static func bytes<T: FixedWidthInteger>(_ patterns: [T]) -> [UInt8] {
        patterns.flatMap { pattern in withUnsafeBytes(of: pattern.littleEndian) { Array($0) } }
    }

    /// Element counts on both sides of the histogram threshold, so both counting paths are compared.
    static let counts = [1, 7, 1000, 20_000]

    @Test(arguments: counts) func float16MatchesDecodedValues(count: Int) throws {
        var random = SafetensorsFuzzTests.SeededGenerator(state: UInt64(count))
        let pool = Self.pool(&random)
        var patterns = (0..<count).map { _ in Float16(Float(pool.randomElement(using: &random)!)).bitPattern }
        patterns[0] = 0x7E01  // a NaN with a payload other than the default one
        let values = patterns.map { Double(Float(Float16(bitPattern: $0))) }
        let found = try #require(Self.bytes(patterns).withUnsafeBytes { ValueStatistics(stored: $0, as: .float16, count: count) })
        #expect(found == Self.expected(values))
    }

    @Test(arguments: counts) func bfloat16CountsTinyValuesAsZeros(count: Int) throws {
        var random = SafetensorsFuzzTests.SeededGenerator(state: UInt64(count) + 1)
        let pool = Self.pool(&random)
        // bfloat16 reaches 1e-13, which float16 cannot: those values count as zeros but stay distinct values.
        let patterns = (0..<count).map { _ in UInt16(Float(pool.randomElement(using: &random)!).bitPattern >> 16) }
        let values = patterns.map { Double(Float(bitPattern: UInt32($0) << 16)) }
        let found = try #require(Self.bytes(patterns).withUnsafeBytes { ValueStatistics(stored: $0, as: .bfloat16, count: count) })
        #expect(found == Self.expected(values))
    }

    @Test(arguments: counts) func float32AndFloat64MatchDecodedValues(count: Int) throws {
        var random = SafetensorsFuzzTests.SeededGenerator(state: UInt64(count) + 2)
        let pool = Self.pool(&random)
        let values = (0..<count).map { _ in pool.randomElement(using: &random)! }
        let singles = values.map { Float($0) }
        let stored32 = try #require(Self.bytes(singles.map(\.bitPattern)).withUnsafeBytes { ValueStatistics(stored: $0, as: .float32, count: count) })
        #expect(stored32 == Self.expected(singles.map(Double.init)))
        #expect(ValueStatistics(singles) == stored32)
        let stored64 = try #require(Self.bytes(values.map(\.bitPattern)).withUnsafeBytes { ValueStatistics(stored: $0, as: .float64, count: count) })
        #expect(stored64 == Self.expected(values))
    }

    @Test(arguments: counts) func integersCountBitPatterns(count: Int) throws {
        var random = SafetensorsFuzzTests.SeededGenerator(state: UInt64(count) + 3)
        let values = (0..<count).map { _ in Int16.random(in: -300...300, using: &random) }
        let expected = ValueStatistics(uniqueValues: Set(values).count, sparsity: Double(values.filter { $0 == 0 }.count) / Double(count))
        let as16 = try #require(Self.bytes(values).withUnsafeBytes { ValueStatistics(stored: $0, as: .integer(bytes: 2), count: count) })
        #expect(as16 == expected)
        let as64 = try #require(Self.bytes(values.map(Int64.init)).withUnsafeBytes { ValueStatistics(stored: $0, as: .integer(bytes: 8), count: count) })
        #expect(as64 == expected)
        let bytes = values.map { UInt8(truncatingIfNeeded: $0) }
        let as8 = try #require(bytes.withUnsafeBytes { ValueStatistics(stored: $0, as: .integer(bytes: 1), count: count) })
        #expect(as8 == ValueStatistics(uniqueValues: Set(bytes).count, sparsity: Double(bytes.filter { $0 == 0 }.count) / Double(count)))
    }

    @Test func tooFewBytesGiveNoStatistics() {
        let bytes = [UInt8](repeating: 0, count: 7)
        #expect(bytes.withUnsafeBytes { ValueStatistics(stored: $0, as: .float32, count: 2) } == nil)
        #expect(bytes.withUnsafeBytes { ValueStatistics(stored: $0, as: .integer(bytes: 3), count: 1) } == nil)
        #expect(bytes.withUnsafeBytes { ValueStatistics(stored: $0, as: .float16, count: 0) } == ValueStatistics(uniqueValues: 0, sparsity: 0))
    }
}
