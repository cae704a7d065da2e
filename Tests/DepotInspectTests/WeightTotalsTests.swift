import DepotFormats
import DepotInspect
import Foundation
import Testing

@Suite struct WeightTotalsTests {
    @Test func totalsGroupByDtypeAndCompression() {
        let rows = [
            WeightSummary(name: "a", dtype: "fp16", shape: [4, 8], bytes: 16, compression: .palettized(bits: 4)),
            WeightSummary(name: "b", dtype: "fp16", shape: [10], bytes: 20),
            WeightSummary(name: "c", dtype: "fp32", shape: [2, 3], bytes: 24),
        ]
        let totals = WeightTotals(rows)
        #expect(totals.weights == 3)
        #expect(totals.parameters == 32 + 10 + 6)
        #expect(totals.bytes == 60)
        #expect(totals.byDtype["fp16"] == WeightTotals.Bucket(weights: 2, parameters: 42, bytes: 36))
        #expect(totals.byCompression["palettized-4"] == WeightTotals.Bucket(weights: 1, parameters: 32, bytes: 16))
        #expect(totals.byCompression["none"] == WeightTotals.Bucket(weights: 2, parameters: 16, bytes: 44))
    }

    @Test func weightRowsEncodeEveryKeyWithExplicitNulls() throws {
        let row = WeightSummary(name: "w", dtype: "fp16", shape: [2], bytes: 1, compression: .palettized(bits: 2),
                                uniqueValues: nil, sparsity: 0.5)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(row)) as? [String: Any]
        let json = try #require(object)
        #expect(Set(json.keys) == ["name", "dtype", "shape", "bytes", "compression", "unique_values", "sparsity"])
        #expect(json["unique_values"] is NSNull)
        let compression = try #require(json["compression"] as? [String: Any])
        #expect(compression["kind"] as? String == "palettized")
        #expect(compression["bits"] as? Int == 2)
        #expect(try JSONDecoder().decode(WeightSummary.self, from: JSONEncoder().encode(row)) == row)
    }
}
