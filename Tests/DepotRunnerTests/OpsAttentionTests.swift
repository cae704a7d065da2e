import Foundation
import Testing
@testable import DepotRunner

@Suite struct OpsAttentionTests {
    func naiveAttention(q: Tensor, k: Tensor, v: Tensor, heads: Int, causal: Bool) -> [Float] {
        let (batch, nq, width) = (q.shape[0], q.shape[1], q.shape[2])
        let (nk, vWidth) = (k.shape[1], v.shape[2])
        let d = width / heads, dv = vWidth / heads
        var out = [Float](repeating: 0, count: batch * nq * vWidth)
        for b in 0..<batch { for h in 0..<heads { for i in 0..<nq {
            var scores = [Double](repeating: -.infinity, count: nk)
            for j in 0..<nk where !causal || j <= i {
                var dot = 0.0
                for e in 0..<d { dot += Double(q.data[(b * nq + i) * width + h * d + e]) * Double(k.data[(b * nk + j) * width + h * d + e]) }
                scores[j] = dot / Double(d).squareRoot()
            }
            let top = scores.max()!
            let weights = scores.map { exp($0 - top) }
            let total = weights.reduce(0, +)
            for e in 0..<dv {
                var sum = 0.0
                for j in 0..<nk { sum += weights[j] / total * Double(v.data[(b * nk + j) * vWidth + h * dv + e]) }
                out[(b * nq + i) * vWidth + h * dv + e] = Float(sum)
            }
        }}}
        return out
    }

    @Test(arguments: [false, true])
    func multiHeadAttentionMatchesNaiveSoftmax(causal: Bool) {
        var random = OpsTestValues(seed: causal ? 3 : 4)
        let q = random.tensor([2, 5, 8]).scaled(by: 3)
        let k = random.tensor([2, 5, 8]).scaled(by: 3)
        let v = random.tensor([2, 5, 6])
        let got = Tensor.attention(query: q, key: k, value: v, heads: 2, causal: causal)
        #expect(got.shape == [2, 5, 6])
        #expect(maxAbsDifference(got.data, naiveAttention(q: q, k: k, v: v, heads: 2, causal: causal)) < 1e-5)
    }

    @Test func crossAttentionWithDifferentKeyCount() {
        var random = OpsTestValues(seed: 11)
        let q = random.tensor([1, 4, 6]), k = random.tensor([1, 7, 6]), v = random.tensor([1, 7, 6])
        let got = Tensor.attention(query: q, key: k, value: v, heads: 3)
        #expect(maxAbsDifference(got.data, naiveAttention(q: q, k: k, v: v, heads: 3, causal: false)) < 1e-5)
    }

    @Test func causalFirstRowCopiesFirstValue() {
        let q = Tensor(shape: [1, 2, 2], data: [1, 0, 0, 1])
        let k = Tensor(shape: [1, 2, 2], data: [5, 5, -5, 5])
        let v = Tensor(shape: [1, 2, 1], data: [3, 7])
        let got = Tensor.attention(query: q, key: k, value: v, heads: 1, causal: true)
        #expect(got.data[0] == 3)
        // Row 1 sees both keys with equal scores 5/sqrt(2): the mean of the values.
        #expect(abs(got.data[1] - 5) < 1e-6)
    }

    /// Queries split into blocks of 3 rows (the causal mask must follow each block's first query).
    @Test(arguments: [false, true])
    func blocksOfQueriesGiveTheSameResult(causal: Bool) {
        var random = OpsTestValues(seed: causal ? 21 : 22)
        let q = random.tensor([2, 10, 8]).scaled(by: 3), k = random.tensor([2, 10, 8]).scaled(by: 3), v = random.tensor([2, 10, 4])
        let got = Tensor.attention(query: q, key: k, value: v, heads: 2, causal: causal, blockScores: 30)
        #expect(maxAbsDifference(got.data, naiveAttention(q: q, k: k, v: v, heads: 2, causal: causal)) < 1e-5)
    }

    /// The AVX-512 softmax against a double-precision reference, on row lengths around the vector width.
    @Test(arguments: [1, 15, 16, 17, 77, 1029])
    func vectorisedSoftmaxMatchesReference(columns: Int) throws {
        try #require(VectorKernels.isAvailable, "this CPU has no AVX-512F: only the portable softmax runs here")
        var random = OpsTestValues(seed: UInt64(columns))
        let rows = 5, firstRow = 3
        var worstVectorised = 0.0, worstPortable = 0.0
        for causal in [false, true] {
            let input = random.tensor([rows, columns]).scaled(by: 20).data
            var vectorised = input, portable = input
            vectorised.withUnsafeMutableBufferPointer {
                Tensor.softmaxRows($0.baseAddress!, rows: rows, columns: columns, firstRow: firstRow, causal: causal, vectorised: true)
            }
            portable.withUnsafeMutableBufferPointer {
                Tensor.softmaxRows($0.baseAddress!, rows: rows, columns: columns, firstRow: firstRow, causal: causal, vectorised: false)
            }
            for row in 0..<rows {
                let visible = causal ? min(firstRow + row + 1, columns) : columns
                let line = input[(row * columns)..<((row + 1) * columns)].map(Double.init)
                let top = line[0..<visible].max()!
                let weights = line[0..<visible].map { exp($0 - top) }
                let total = weights.reduce(0, +)
                for j in 0..<columns {
                    let expected = j < visible ? weights[j] / total : 0
                    worstVectorised = max(worstVectorised, abs(Double(vectorised[row * columns + j]) - expected))
                    worstPortable = max(worstPortable, abs(Double(portable[row * columns + j]) - expected))
                }
            }
        }
        #expect(worstVectorised < 1e-6)
        #expect(worstPortable < 1e-6)
    }
}
