import CRunnerKernels
import Foundation
import Synchronization

/// Products whose left operand is a float16 weight read straight from the checkpoint's mapping.
/// With few columns (small images, few tokens) a product is bound by streaming the weight: the
/// float32 copy and OpenBLAS's packing of it cost more than the arithmetic. This kernel converts
/// the weight in L1-sized blocks as it goes instead, and splits the weight's rows across the cores.
enum HalfWeightProduct {
    static let isAvailable = VectorKernels.isAvailable
    /// Layers take this path only when the kernel was built optimised (release).
    static let isPreferred = isAvailable && depot_kernels_optimised() != 0

    /// Products with at most this many columns take this path (measured with `depot-bench conv`
    /// and the UNet profile: OpenBLAS wins from about 256 columns up).
    static let columnLimit = 256

    /// Overrides `isPreferred` for a task: the diffusers reference tests run in debug builds, and
    /// force this path on to check it inside whole models.
    @TaskLocal static var preferredOverride: Bool?

    /// Products computed on this path since the process started (tests check the path was taken).
    static let productCount = Atomic<Int>(0)

    static func applies(columns: Int) -> Bool {
        (preferredOverride.map { $0 && isAvailable } ?? isPreferred) && columns <= columnLimit
    }

    /// C[m×n] = W[m×k] · X[k×n] (+ C when `accumulate`); W float16 row-major [m, k], X and C row-major.
    static func multiply(weight: UnsafeRawPointer, m: Int, k: Int, x: UnsafePointer<Float>, ldx: Int, n: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        MatrixMultiplyCounter.multiplyAdds.add(m * n * k, ordering: .relaxed)
        productCount.add(1, ordering: .relaxed)
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

/// Times one product C[m×n] = W[m×k] · X[k×n] both ways, for `depot-bench products`: OpenBLAS
/// on a float32 weight (conversion excluded) and HalfWeightProduct on the float16 weight.
public enum ProductProbe {
    /// CPU seconds (best of `runs` after a warm-up) of (OpenBLAS sgemm, float16-weight kernel).
    public static func seconds(m: Int, n: Int, k: Int, runs: Int) -> (openBLAS: Double, halfWeight: Double)? {
        guard HalfWeightProduct.isAvailable else { return nil }
        let weight = (0..<(m * k)).map { Float(($0 * 7919) % 1000) / 1000 - 0.5 }
        let halves = weight.map { Float16($0).bitPattern }
        let x = (0..<(k * n)).map { Float(($0 * 104_729) % 1000) / 1000 - 0.5 }
        var c = [Float](repeating: 0, count: m * n)
        // Process CPU time (all threads): on a shared machine, time-slicing stretches wall time only.
        func best(_ body: () -> Void) -> Double {
            (0...runs).map { _ in
                let start = processCPUSeconds()
                body()
                return processCPUSeconds() - start
            }.dropFirst().min()!
        }
        return weight.withUnsafeBufferPointer { w in
            halves.withUnsafeBytes { h in
                x.withUnsafeBufferPointer { xs in
                    c.withUnsafeMutableBufferPointer { cs in
                        let blas = best {
                            BLAS.sgemm(m: m, n: n, k: k, a: w.baseAddress!, lda: k, b: xs.baseAddress!, ldb: n, c: cs.baseAddress!, ldc: n)
                        }
                        let half = best {
                            HalfWeightProduct.multiply(weight: h.baseAddress!, m: m, k: k, x: xs.baseAddress!, ldx: n, n: n,
                                                       c: cs.baseAddress!, ldc: n, accumulate: false)
                        }
                        return (blas, half)
                    }
                }
            }
        }
    }
}

func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
}
