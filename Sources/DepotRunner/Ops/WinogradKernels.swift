/// 3×3 convolution kernels transformed for one Winograd tiling: `points` matrices of
/// [out channels, in channels], point-major, so each point is one sgemm's left operand.
struct WinogradKernels: Sendable {
    let tiling: WinogradTiling
    let outChannels: Int, inChannels: Int
    let values: [Float]

    init(tiling: WinogradTiling, weight: Tensor) {
        precondition(weight.shape.count == 4 && weight.shape[2] == 3 && weight.shape[3] == 3, "Winograd needs a 3x3 OIHW kernel, got \(weight.shape)")
        let rowSize = weight.shape[1] * 9
        self.init(tiling: tiling, outChannels: weight.shape[0], inChannels: weight.shape[1]) { rows in
            Array(weight.data[(rows.lowerBound * rowSize)..<(rows.upperBound * rowSize)])
        }
    }

    /// `rows(range)` gives the OIHW values of output channels `range`. The kernel is read and
    /// transformed in slices of about a million values, so a float16 checkpoint is never held as
    /// a whole float32 copy next to the transformed one.
    init<Failure: Error>(tiling: WinogradTiling, outChannels: Int, inChannels: Int, sliceValues: Int = 1 << 20,
                         rows: (Range<Int>) throws(Failure) -> [Float]) throws(Failure) {
        self.tiling = tiling
        self.outChannels = outChannels
        self.inChannels = inChannels
        let total = tiling.points * outChannels * inChannels
        let sliceChannels = max(1, sliceValues / (inChannels * 9))
        var failure: Failure?
        values = [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
            for first in stride(from: 0, to: outChannels, by: sliceChannels) {
                let slice = first..<min(outChannels, first + sliceChannels)
                let raw: [Float]
                do throws(Failure) {
                    raw = try rows(slice)
                } catch {
                    failure = error
                    break
                }
                precondition(raw.count == slice.count * inChannels * 9, "Winograd kernel rows \(slice) have \(raw.count) values")
                raw.withUnsafeBufferPointer { source in
                    Self.transform(source.baseAddress!, outChannels: slice, inChannels: inChannels, tiling: tiling,
                                   totalOut: outChannels, into: buffer.baseAddress!)
                }
            }
            // Filled completely unless a read failed, in which case the values are never used.
            initialized = total
        }
        if let failure { throw failure }
    }

    /// U[ξ][o][c] = (G g Gᵀ)[ξ] for the kernels g of output channels `slice` (read from `source`,
    /// which starts at the slice), vectorised across input channels.
    private static func transform(_ source: UnsafePointer<Float>, outChannels slice: Range<Int>, inChannels: Int,
                                  tiling: WinogradTiling, totalOut: Int, into target: UnsafeMutablePointer<Float>) {
        let alpha = tiling.inputTile
        let terms = WinogradTiling.terms(tiling.kernelTransform, columns: 3)
        Parallel.forRanges(slice.count, grain: max(1, (1 << 15) / (inChannels * 9))) { range in
            // taps[a·3 + b][c] = g[c][a][b]; partial[k·3 + b][c] = Σ_a G[k][a] g[c][a][b].
            let taps = UnsafeMutablePointer<Float>.allocate(capacity: 9 * inChannels)
            let partial = UnsafeMutablePointer<Float>.allocate(capacity: alpha * 3 * inChannels)
            defer { taps.deallocate(); partial.deallocate() }
            for local in range {
                let kernel = source + local * inChannels * 9
                for c in 0..<inChannels {
                    for tap in 0..<9 { taps[tap * inChannels + c] = kernel[c * 9 + tap] }
                }
                partial.initialize(repeating: 0, count: alpha * 3 * inChannels)
                for (k, a, g) in terms {
                    for b in 0..<3 {
                        let into = partial + (k * 3 + b) * inChannels, from = taps + (a * 3 + b) * inChannels
                        for c in 0..<inChannels { into[c] += g * from[c] }
                    }
                }
                let o = slice.lowerBound + local
                for k in 0..<alpha {
                    for l in 0..<alpha {
                        let into = target + ((k * alpha + l) * totalOut + o) * inChannels
                        into.initialize(repeating: 0, count: inChannels)
                        for (row, b, g) in terms where row == l {
                            let from = partial + (k * 3 + b) * inChannels
                            for c in 0..<inChannels { into[c] += g * from[c] }
                        }
                    }
                }
            }
        }
    }
}
