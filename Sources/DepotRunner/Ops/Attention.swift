import CRunnerKernels

extension Tensor {
    /// Rows of scores computed at once per (batch item, head): 1 MB, so a block's scores stay in
    /// the core's L2 cache between the two products and the softmax.
    static let attentionBlockScores = 1 << 18

    /// Scaled dot-product attention with `heads` heads packed in the last dimension:
    /// q [B, Nq, H·d], k [B, Nk, H·d], v [B, Nk, H·dv] -> [B, Nq, H·dv]. Heads are read in place
    /// through the leading dimension, so nothing is transposed. The (batch item, head, block of
    /// queries) products are independent: they are spread over the cores, each product single-threaded.
    public static func attention(query: Tensor, key: Tensor, value: Tensor, heads: Int, causal: Bool = false) -> Tensor {
        attention(query: query, key: key, value: value, heads: heads, causal: causal, blockScores: attentionBlockScores)
    }

    static func attention(query: Tensor, key: Tensor, value: Tensor, heads: Int, causal: Bool, blockScores: Int) -> Tensor {
        precondition(query.shape.count == 3 && key.shape.count == 3 && value.shape.count == 3, "attention needs [B, N, C] inputs")
        let (batch, queries, width) = (query.shape[0], query.shape[1], query.shape[2])
        let (keys, valueWidth) = (key.shape[1], value.shape[2])
        precondition(key.shape[0] == batch && value.shape[0] == batch && key.shape[2] == width && value.shape[1] == keys,
                     "attention shapes do not agree: q \(query.shape), k \(key.shape), v \(value.shape)")
        precondition(width % heads == 0 && valueWidth % heads == 0, "attention width \(width) does not split into \(heads) heads")
        let headDim = width / heads, valueDim = valueWidth / heads
        let scale = 1 / Float(headDim).squareRoot()
        let blockRows = max(1, min(queries, blockScores / max(1, keys)))
        let blocksPerHead = (queries + blockRows - 1) / blockRows
        return Tensor.uninitialized([batch, queries, valueWidth]) { out in
            query.data.withUnsafeBufferPointer { q in
                key.data.withUnsafeBufferPointer { k in
                    value.data.withUnsafeBufferPointer { v in
                        BLAS.singleThreaded {
                            Parallel.forRanges(batch * heads * blocksPerHead, grain: 1) { items in
                                let scores = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * keys)
                                defer { scores.deallocate() }
                                for item in items {
                                    let (pair, block) = item.quotientAndRemainder(dividingBy: blocksPerHead)
                                    let (b, h) = pair.quotientAndRemainder(dividingBy: heads)
                                    let first = block * blockRows, rows = min(blockRows, queries - first)
                                    BLAS.sgemm(transposeB: true, m: rows, n: keys, k: headDim, alpha: scale,
                                               a: q.baseAddress! + (b * queries + first) * width + h * headDim, lda: width,
                                               b: k.baseAddress! + b * keys * width + h * headDim, ldb: width,
                                               c: scores, ldc: keys)
                                    softmaxRows(scores, rows: rows, columns: keys, firstRow: first, causal: causal)
                                    BLAS.sgemm(m: rows, n: valueDim, k: keys,
                                               a: scores, lda: keys,
                                               b: v.baseAddress! + b * keys * valueWidth + h * valueDim, ldb: valueWidth,
                                               c: out.baseAddress! + (b * queries + first) * valueWidth + h * valueDim, ldc: valueWidth)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// In-place softmax of each row; with `causal`, row i (query `firstRow + i`) only attends to
    /// columns 0...firstRow + i.
    static func softmaxRows(_ scores: UnsafeMutablePointer<Float>, rows: Int, columns: Int, firstRow: Int = 0, causal: Bool,
                            vectorised: Bool = VectorKernels.isAvailable) {
        if vectorised {
            depot_softmax_rows_avx512(scores, rows, columns, columns, firstRow, causal ? 1 : 0)
            return
        }
        for row in 0..<rows { softmaxRow(scores + row * columns, query: firstRow + row, columns: columns, causal: causal) }
    }

    /// The portable path, for CPUs without AVX-512.
    @inline(__always)
    private static func softmaxRow(_ line: UnsafeMutablePointer<Float>, query: Int, columns: Int, causal: Bool) {
        let visible = causal ? min(query + 1, columns) : columns
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
