@testable import DepotCoreML
import Testing

@Suite struct ProtobufReaderTests {
    /// Reads every field of `bytes` into (field, description) pairs.
    func fields(_ bytes: [UInt8]) throws -> [(Int, String)] {
        try bytes.withUnsafeBytes { raw in
            var reader = ProtobufReader(raw, context: "Test")
            var result: [(Int, String)] = []
            while let (field, value) = try reader.next() {
                switch value {
                case .varint(let number): result.append((field, "varint \(number)"))
                case .fixed32(let number): result.append((field, "fixed32 \(number)"))
                case .fixed64(let number): result.append((field, "fixed64 \(number)"))
                case .bytes(let payload): result.append((field, "bytes \(Array(payload))"))
                }
            }
            return result
        }
    }

    @Test func readsEachWireType() throws {
        // field 1 varint 300; field 2 "hi"; field 3 fixed32 1; field 4 fixed64 2; field 502 varint 1 (a two-byte key).
        let bytes: [UInt8] = [0x08, 0xAC, 0x02, 0x12, 0x02, 0x68, 0x69, 0x1D, 1, 0, 0, 0,
                              0x21, 2, 0, 0, 0, 0, 0, 0, 0, 0xB0, 0x1F, 0x01]
        let read = try fields(bytes)
        #expect(read.map(\.0) == [1, 2, 3, 4, 502])
        #expect(read.map(\.1) == ["varint 300", "bytes [104, 105]", "fixed32 1", "fixed64 2", "varint 1"])
    }

    @Test func unpacksRepeatedScalars() throws {
        let varints = try [UInt8]([0x03, 0x8E, 0x02, 0x00]).withUnsafeBytes { raw in
            try ProtobufReader.WireValue.bytes(raw).packedVarints("Test", field: 1)
        }
        #expect(varints == [3, 270, 0])
        let floats = try [UInt8]([0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]).withUnsafeBytes { raw in
            try ProtobufReader.WireValue.bytes(raw).packedFixed32("Test", field: 1).map { Float(bitPattern: $0) }
        }
        #expect(floats == [1, 2])
    }

    @Test func rejectsMalformedInput() {
        #expect(throws: ProtobufError.malformed(context: "Test", offset: 2, reason: "field 2 is 5 bytes long but only 1 remain")) {
            try fields([0x12, 0x05, 0x68])
        }
        #expect(throws: ProtobufError.malformed(context: "Test", offset: 1, reason: "field 1 has unsupported wire type 3")) {
            try fields([0x0B])
        }
        #expect(throws: ProtobufError.malformed(context: "Test", offset: 11, reason: "truncated or overlong varint")) {
            try fields([0x08] + [UInt8](repeating: 0xFF, count: 10))
        }
        #expect(throws: ProtobufError.malformed(context: "Test", offset: 1, reason: "field number 0")) {
            try fields([0x00, 0x00])
        }
    }
}
