import DepotCoreML
import Testing

@Suite struct WeightBlobDataTypeTests {
    @Test func recordCodesMapToTheirTypes() {
        #expect(WeightBlobDataType(rawValue: 1) == .float16)
        #expect(WeightBlobDataType(rawValue: 8) == .int4)
        #expect(WeightBlobDataType(rawValue: 13) == .uint6)
        #expect(WeightBlobDataType(rawValue: 17) == .float8E5M2)
        #expect(WeightBlobDataType(rawValue: 0) == nil)
        #expect(WeightBlobDataType(rawValue: 18) == nil)
    }

    @Test func packedSizesRoundUpToWholeBytes() {
        #expect(WeightBlobDataType.float16.byteCount(elements: 10) == 20)
        #expect(WeightBlobDataType.uint6.byteCount(elements: 5) == 4)   // 30 bits
        #expect(WeightBlobDataType.uint3.byteCount(elements: 8) == 3)
        #expect(WeightBlobDataType.uint1.byteCount(elements: 9) == 2)
        #expect(WeightBlobDataType.int4.byteCount(elements: 0) == 0)
    }
}
