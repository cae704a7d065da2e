import Foundation

extension Tensor {
    /// Scaled dot-product attention with `heads` heads packed in the last dimension:
    /// q [B, Nq, H·d], k [B, Nk, H·d], v [B, Nk, H·dv] -> [B, Nq, H·dv]. Heads are read in place
    /// through the leading dimension, so nothing is transposed.
    public static func attention(query: Tensor, key: Tensor, value: Tensor, heads: Int, causal: Bool = false) -> Tensor {
        precondition(query.shape.count == 3 && key.shape.count == 3 && value.shape.count == 3, "attention needs [B, N, C] inputs")
        let (batch, queries, width) = (query.shape[0], query.shape[1], query.shape[2])
        let (keys, valueWidth) = (key.shape[1], value.shape[2])
        precondition(key.shape[0] == batch && value.shape[0] == batch && key.shape[2] == width && value.shape[1] == keys,
                     "attention shapes do not agree: q \(query.shape), k \(key.shape), v \(value.shape)")
        precondition(width % heads == 0 && valueWidth % heads == 0, "attention width \(width) does not split into \(heads) heads")
        let headDim = width / heads, valueDim = valueWidth / heads
        let scale = 1 / Float(headDim).squareRoot()
        var scores = [Float](repeating: 0, count: queries * keys)
        return Tensor.uninitialized([batch, queries, valueWidth]) { out in
            query.data.withUnsafeBufferPointer { q in
                key.data.withUnsafeBufferPointer { k in
                    value.data.withUnsafeBufferPointer { v in
                        scores.withUnsafeMutableBufferPointer { s in
                            for b in 0..<batch {
                                for h in 0..<heads {
                                    BLAS.sgemm(transposeB: true, m: queries, n: keys, k: headDim, alpha: scale,
                                               a: q.baseAddress! + b * queries * width + h * headDim, lda: width,
                                               b: k.baseAddress! + b * keys * width + h * headDim, ldb: width,
                                               c: s.baseAddress!, ldc: keys)
                                    softmaxRows(s.baseAddress!, rows: queries, columns: keys, causal: causal)
                                    BLAS.sgemm(m: queries, n: valueDim, k: keys,
                                               a: s.baseAddress!, lda: keys,
                                               b: v.baseAddress! + b * keys * valueWidth + h * valueDim, ldb: valueWidth,
                                               c: out.baseAddress! + b * queries * valueWidth + h * valueDim, ldc: valueWidth)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// In-place softmax of each row; with `causal`, row i only attends to columns 0...i.
    static func softmaxRows(_ scores: UnsafeMutablePointer<Float>, rows: Int, columns: Int, causal: Bool) {
        for row in 0..<rows {
            let line = scores + row * columns
            let visible = causal ? min(row + 1, columns) : columns
            var maximum = -Float.infinity
            for j in 0..<visible { maximum = max(maximum, line[j]) }
            var sum: Float = 0
            for j in 0..<visible {
                let e = exp(line[j] - maximum)
                line[j] = e
                sum += e
            }
            let inverse = 1 / sum
            for j in 0..<visible { line[j] *= inverse }
            for j in visible..<columns { line[j] = 0 }
        }
    }
}
