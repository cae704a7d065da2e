import DepotTestSupport
import Foundation
import Testing
@testable import DepotFormats

/// A bounded mutation fuzz run: valid files with random byte flips, truncations, extensions and
/// header edits must open or fail with a SafetensorsError — never crash, never hand out a tensor
/// that lies outside the file.
@Suite struct SafetensorsFuzzTests {
    /// SplitMix64: reproducible, so a failure names an iteration that can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func seeds() throws -> [[UInt8]] {
        let files = try SafetensorsTestFiles()
        var seeds: [[UInt8]] = []
        let url = files.directory.appendingPathComponent("seed.safetensors")
        try SafetensorsWriter.write(to: url, metadata: ["format": "pt"], entries: [
            .init(name: "a", dtype: .f32, shape: [2, 3]), .init(name: "b", dtype: .f16, shape: [4]),
            .init(name: "c", dtype: .bf16, shape: [1]), .init(name: "packed", dtype: .f4, shape: [6]),
            .init(name: "empty", dtype: .i64, shape: [0]),
        ]) { index, buffer in
            for offset in 0..<buffer.count { buffer[offset] = UInt8(truncatingIfNeeded: index * 37 + offset) }
        }
        seeds.append(Array(try Data(contentsOf: url)))
        let many = files.directory.appendingPathComponent("many.safetensors")
        let dtypes: [SafetensorsDType] = [.f16, .f32, .bf16, .u8, .i64, .bool, .f8E4M3, .c64]
        let entries = (0..<24).map { SafetensorsWriter.Entry(name: "block.\($0).weight", dtype: dtypes[$0 % dtypes.count], shape: [$0 % 5, 3]) }
        try SafetensorsWriter.write(to: many, metadata: nil, entries: entries) { index, buffer in
            for offset in 0..<buffer.count { buffer[offset] = UInt8(truncatingIfNeeded: index &* 11 &+ offset) }
        }
        seeds.append(Array(try Data(contentsOf: many)))
        return seeds
    }

    static let headerTokens: [[UInt8]] = ["\"", "{", "}", "[", "]", ",", ":", "-1", "1e309", "18446744073709551615", "9223372036854775807",
                                          "\"F4\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\\u", "\u{0}", "null", "[]", "0"].map { Array($0.utf8) }

    static func mutate(_ seed: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = seed
        let declaredEnd = 8 + Int(UInt64(littleEndian: seed.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }) & 0xFFFF_FFFF)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            // Earlier mutations may have shortened the file.
            let headerEnd = min(bytes.count, declaredEnd)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1 where headerEnd > 8:
                bytes[Int.random(in: 8..<headerEnd, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            case 2:
                bytes.removeLast(Int.random(in: 0...min(bytes.count, 64), using: &rng))
            case 3:
                bytes += (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            case 4 where headerEnd > 9:
                let at = Int.random(in: 8..<headerEnd, using: &rng)
                bytes.replaceSubrange(at..<min(at + Int.random(in: 0...3, using: &rng), bytes.count), with: headerTokens.randomElement(using: &rng)!)
            case 5 where bytes.count >= 8:
                // The length prefix: small changes, huge values, and values near the file length.
                let value: UInt64 = [UInt64.random(in: 0...UInt64(bytes.count + 8), using: &rng), UInt64.max, 100_000_001,
                                     UInt64(max(headerEnd - 8, 0)) &+ UInt64.random(in: 0...3, using: &rng) &- 1].randomElement(using: &rng)!
                withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
            case 6 where headerEnd > 16:
                // Digit edits make offsets and shapes overlap, leave gaps or point past the end.
                let digits = (8..<headerEnd).filter { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[$0]) }
                if let at = digits.randomElement(using: &rng) { bytes[at] = UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &rng) }
            case 7 where bytes.count > declaredEnd:
                // Data bytes: any value is valid, so the file must still open.
                bytes[Int.random(in: declaredEnd..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            default:
                break
            }
        }
        return bytes
    }

    @Test func mutatedFilesOpenOrFailWithTypedErrors() throws {
        let files = try SafetensorsTestFiles()
        let seeds = try Self.seeds()
        var rng = SeededGenerator(state: 0xDEB0_7001)
        var opened = 0, rejected = 0
        var errorKinds = Set<String>()
        for iteration in 0..<3000 {
            let bytes = Self.mutate(seeds[iteration % seeds.count], using: &rng)
            let url = try files.writeRaw(bytes, name: "fuzz.safetensors")
            let file: SafetensorsFile
            do {
                file = try SafetensorsFile(url: url)
            } catch {
                // The initializer throws only SafetensorsError (typed throws); every case has a message.
                rejected += 1
                errorKinds.insert(Mirror(reflecting: error).children.first?.label ?? "\(error)")
                #expect(!error.description.isEmpty)
                continue
            }
            opened += 1
            for tensor in file.tensors {
                #expect(tensor.fileRange.lowerBound >= file.header.dataStart && tensor.fileRange.upperBound <= bytes.count,
                        "iteration \(iteration): \(tensor.name) lies outside the file")
                if tensor.dtype.isReadableAsFloat { #expect(try file.floats(tensor.name).count == tensor.elementCount) }
            }
        }
        // The mutations must exercise both outcomes, and many distinct rules.
        #expect(opened > 100 && rejected > 1000, "opened \(opened), rejected \(rejected)")
        #expect(errorKinds.count >= 8, "rules hit: \(errorKinds.sorted())")
    }

    @Test func mutatedShardIndexesParseOrFailWithTypedErrors() throws {
        let index = Array(#"{"metadata": {"total_size": 24}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}"#.utf8)
        var rng = SeededGenerator(state: 42)
        var parsed = 0
        for _ in 0..<2000 {
            var bytes = index
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                if Bool.random(using: &rng) { bytes[at] = UInt8.random(in: 0...255, using: &rng) } else { bytes.insert(contentsOf: Self.headerTokens.randomElement(using: &rng)!, at: at) }
            }
            do {
                let parsedIndex = try SafetensorsIndex(bytes: bytes, file: "model.safetensors.index.json")
                parsed += 1
                #expect(parsedIndex.weightMap.allSatisfy { !$0.shard.contains("/") })
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
        #expect(parsed > 0)
    }
}
