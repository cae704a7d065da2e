import CRunnerKernels

/// Products whose left operand is a float16 weight read straight from the checkpoint's mapping.
/// With few columns (small images, few tokens) a product is bound by streaming the weight: the
/// float32 copy and OpenBLAS's packing of it cost more than the arithmetic. This kernel converts
/// the weight in L1-sized blocks as it goes instead, and splits the weight's rows across the cores.
enum HalfWeightProduct {
    static let isAvailable = depot_kernels_avx512_available() != 0
    /// Layers take this path only when the kernel was built optimised (release).
    static let isPreferred = isAvailable && depot_kernels_optimised() != 0

    /// Products with at most this many columns take this path (measured with `depot-bench conv`
    /// and the UNet profile: OpenBLAS wins from about 256 columns up).
    static let columnLimit = 256

    static func applies(columns: Int) -> Bool { isPreferred && columns <= columnLimit }

    /// C[m×n] = W[m×k] · X[k×n] (+ C when `accumulate`); W float16 row-major [m, k], X and C row-major.
    static func multiply(weight: UnsafeRawPointer, m: Int, k: Int, x: UnsafePointer<Float>, ldx: Int, n: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        MatrixMultiplyCounter.multiplyAdds.add(m * n * k, ordering: .relaxed)
        let shared = UncheckedSendable((weight, x, c))
        // Slices of whole 12-row tiles; a slice is worth a thread from about a million multiply-adds.
        let tiles = (m + 11) / 12
        Parallel.forRanges(tiles, grain: max(1, (1 << 20) / max(1, 12 * n * k))) { range in
            let (weight, x, c) = shared.value
            let first = range.lowerBound * 12, rows = min(m, range.upperBound * 12) - first
            depot_half_weight_product_avx512(weight + 2 * first * k, k, x, ldx, c + first * ldc, ldc, rows, n, k, accumulate ? 1 : 0)
        }
    }
}
