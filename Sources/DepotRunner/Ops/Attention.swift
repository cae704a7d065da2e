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
        Parallel.forRanges(rows, grain: max(1, (1 << 14) / columns)) { range in
            for row in range { softmaxRow(scores + row * columns, row: row, columns: columns, causal: causal) }
        }
    }

    @inline(__always)
    private static func softmaxRow(_ line: UnsafeMutablePointer<Float>, row: Int, columns: Int, causal: Bool) {
        let visible = causal ? min(row + 1, columns) : columns
        let vectorEnd = visible - visible % 8
        // Reductions run in 8 lanes: the optimiser does not reassociate float sums by itself.
        let raw = UnsafeMutableRawPointer(line)
        var lanes = SIMD8<Float>(repeating: -.infinity)
        for j in Swift.stride(from: 0, to: vectorEnd, by: 8) {
            let values = raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            lanes.replace(with: values, where: values .> lanes)
        }
        var maximum = lanes.max()
        for j in vectorEnd..<visible { maximum = max(maximum, line[j]) }
        for j in 0..<visible { line[j] = FastMath.exp(line[j] - maximum) }
        var sums = SIMD8<Float>()
        for j in Swift.stride(from: 0, to: vectorEnd, by: 8) {
            sums += raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        }
        var sum = sums.sum()
        for j in vectorEnd..<visible { sum += line[j] }
        let inverse = 1 / sum
        for j in 0..<visible { line[j] *= inverse }
        for j in visible..<columns { line[j] = 0 }
    }
}
