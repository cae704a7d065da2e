import COpenBLAS
import Synchronization

/// The one boundary to OpenBLAS: row-major single-precision matrix products. OpenBLAS is opened
/// on first use (`OpenBLASLibrary`), each product is one call through a resolved pointer.
enum BLAS {
    /// C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C, all row-major with leading dimensions.
    /// `counted: false` for products whose work the caller counts itself (fast convolutions).
    static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int, counted: Bool = true
    ) {
        guard m > 0, n > 0 else { return }
        if counted { MatrixMultiplyCounter.multiplyAdds.add(m * n * k, ordering: .relaxed) }
        depot_cblas_sgemm(CblasRowMajor,
                          transposeA ? CblasTrans : CblasNoTrans,
                          transposeB ? CblasTrans : CblasNoTrans,
                          blasint(m), blasint(n), blasint(k), alpha,
                          a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
}

extension BLAS {
    /// Runs `body` with OpenBLAS's own threading off, for callers that split their products across
    /// the cores themselves (many small independent products: a per-product thread handoff costs
    /// more than it saves). OpenBLAS's thread count is process-wide, so it is restored afterwards.
    static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        let previous = depot_openblas_get_num_threads()
        if previous > 1 { depot_openblas_set_num_threads(1) }
        defer { if previous > 1 { depot_openblas_set_num_threads(previous) } }
        return try body()
    }
}

/// Multiply-adds of every convolution, linear layer and attention product, as the direct
/// algorithm would do them (counted in `BLAS.sgemm`, or by a convolution that does less), for
/// throughput figures.
public enum MatrixMultiplyCounter {
    static let multiplyAdds = Atomic<Int>(0)

    public static var total: Int { multiplyAdds.load(ordering: .relaxed) }

    public static func reset() { multiplyAdds.store(0, ordering: .relaxed) }
}

/// Times a square sgemm on OpenBLAS: the float32 throughput ceiling of the machine.
public enum MatrixMultiplyProbe {
    /// Seconds for one size³ product (after one untimed warm-up), median of `runs`.
    public static func sgemmSeconds(size: Int, runs: Int) -> Double {
        let a = [Float](repeating: 0.5, count: size * size)
        let b = [Float](repeating: 0.25, count: size * size)
        var c = [Float](repeating: 0, count: size * size)
        var times: [Double] = []
        for run in 0...runs {
            let start = ContinuousClock.now
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        depot_cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(size), blasint(size), blasint(size), 1,
                                    a.baseAddress, blasint(size), b.baseAddress, blasint(size), 0, c.baseAddress, blasint(size))
                    }
                }
            }
            let elapsed = ContinuousClock.now - start
            if run > 0 { times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) }
        }
        return times.sorted()[times.count / 2]
    }
}
