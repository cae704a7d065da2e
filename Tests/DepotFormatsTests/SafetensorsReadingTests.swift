import DepotTestSupport
import Foundation
import Testing
@testable import DepotFormats

@Suite struct SafetensorsReadingTests {
    @Test func readsHandMadeFileWithEveryFloatType() throws {
        let files = try SafetensorsTestFiles()
        let f32: [Float] = [1.5, -2.25, 0, 1e-3]
        // F16 bits: 1.0, -2.0, 65504 (max), smallest subnormal 2^-24.
        let f16: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001]
        // BF16 bits: 1.0, -3.0.
        let bf16: [UInt16] = [0x3F80, 0xC040]
        let data = SafetensorsTestFiles.littleEndianBytes(f32) + SafetensorsTestFiles.littleEndianBytes(f16)
            + SafetensorsTestFiles.littleEndianBytes(bf16) + [7, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF]
        let header = """
        {"__metadata__":{"format":"pt","note":"hand made"},
         "b":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]},
         "a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},
         "c":{"dtype":"BF16","shape":[2],"data_offsets":[24,28]},
         "ids":{"dtype":"I32","shape":[1,2],"data_offsets":[28,36]},
         "empty":{"dtype":"F32","shape":[0,3],"data_offsets":[36,36]}}   
        """
        let file = try SafetensorsFile(url: files.write(header: header, data: data))
        #expect(file.metadata == ["format": "pt", "note": "hand made"])
        #expect(file.tensors.map(\.name) == ["a", "b", "c", "ids", "empty"])
        let b = try file.tensor("b")
        #expect(b.dtype == .f16 && b.shape == [2, 2] && b.dataOffsets == 16..<24)
        #expect(b.fileRange == (8 + file.header.headerLength + 16)..<(8 + file.header.headerLength + 24))
        #expect(try file.floats("a") == f32)
        #expect(try file.floats("b") == [1.0, -2.0, 65504, Float(sign: .plus, exponent: -24, significand: 1)])
        #expect(try file.floats("c") == [1.0, -3.0])
        #expect(try file.integers("ids") == [7, -2])
        #expect(try file.floats("empty") == [])
        #expect(throws: SafetensorsError.unsupportedDType(file: file.url.path, tensor: "ids", dtype: .i32, wanted: "float32")) {
            try file.floats("ids")
        }
        #expect(throws: SafetensorsError.tensorNotFound(file: file.url.path, tensor: "missing")) { try file.floats("missing") }
    }

    @Test func float16ConversionMatchesSwiftFloat16ForEveryBitPattern() throws {
        let patterns = (0...UInt16.max).map { $0 }
        let bytes = SafetensorsTestFiles.littleEndianBytes(patterns)
        // Both paths: the hardware one (where the CPU has F16C) and the portable one. An odd
        // offset and count exercise unaligned loads and the partial last vector.
        let converters: [(UnsafeRawBufferPointer, UnsafeMutableBufferPointer<Float>) -> Void] = [
            HalfPrecision.float16ToFloat, HalfPrecision.float16ToFloatPortable,
        ]
        for convert in converters {
            var converted = [Float](repeating: 0, count: patterns.count - 3)
            ([0] + bytes).withUnsafeBytes { raw in
                converted.withUnsafeMutableBufferPointer { convert(UnsafeRawBufferPointer(rebasing: raw[1..<(1 + 2 * (patterns.count - 3))]), $0) }
            }
            var mismatches: [UInt16] = []
            for (bits, value) in zip(patterns, converted) {
                let expected = Float(Float16(bitPattern: bits))
                let same = expected.isNaN ? value.isNaN : value.bitPattern == expected.bitPattern
                if !same { mismatches.append(bits) }
            }
            #expect(mismatches.isEmpty, "first mismatching patterns: \(mismatches.prefix(5))")
        }
    }

    @Test func readsFixtureCheckpointAndReference() throws {
        let unet = try SafetensorsFile(url: TestEnvironment.fixture("tiny-sd1/unet/diffusion_pytorch_model.safetensors"))
        #expect(unet.metadata == ["format": "pt"])
        let conv = try unet.tensor("conv_in.weight")
        #expect(conv.dtype == .f16 && conv.shape == [32, 4, 3, 3])
        let values = try unet.floats("conv_in.weight")
        #expect(values.count == 32 * 4 * 3 * 3 && values.allSatisfy(\.isFinite) && Set(values).count > 100)

        let reference = try SafetensorsFile(url: TestEnvironment.fixture("reference/reference-sd1-public.safetensors"))
        let ids = try reference.integers("text.input_ids")
        #expect(ids.count == 3 * 77 && ids[0] == 49406)
        #expect(try reference.tensor("unet.out").shape == [2, 4, 32, 32])
    }
}
