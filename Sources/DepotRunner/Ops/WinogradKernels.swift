import CRunnerKernels

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

    /// From a float16 OIHW weight read in place (the checkpoint's mapping), transformed by the
    /// AVX-512 kernel: no float32 copy of the weight is made at all.
    init(tiling: WinogradTiling, halfWeight: UnsafeRawPointer, outChannels: Int, inChannels: Int) {
        self.tiling = tiling
        self.outChannels = outChannels
        self.inChannels = inChannels
        let total = tiling.points * outChannels * inChannels
        values = [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
            let target = buffer.baseAddress!
            Parallel.forRanges(outChannels, grain: max(1, (1 << 14) / (inChannels * 9))) { range in
                depot_winograd_kernels_avx512(halfWeight, inChannels, outChannels, range.lowerBound, range.upperBound,
                                              Int32(tiling.outputTile), target)
            }
            initialized = total
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
    /// which starts at the slice), eight input channels at a time.
    private static func transform(_ source: UnsafePointer<Float>, outChannels slice: Range<Int>, inChannels: Int,
                                  tiling: WinogradTiling, totalOut: Int, into target: UnsafeMutablePointer<Float>) {
        // A concrete type at each call, so the transforms are specialised and inlined.
        if tiling == .f2 {
            transform(WinogradF2.self, source, outChannels: slice, inChannels: inChannels, totalOut: totalOut, into: target)
        } else {
            transform(WinogradF4.self, source, outChannels: slice, inChannels: inChannels, totalOut: totalOut, into: target)
        }
    }

    private static func transform<T: WinogradTransforms>(_: T.Type, _ source: UnsafePointer<Float>, outChannels slice: Range<Int>,
                                                         inChannels: Int, totalOut: Int, into target: UnsafeMutablePointer<Float>) {
        let alpha = T.outputTile + 2, lanes = WinogradLanes.scalarCount
        Parallel.forRanges(slice.count, grain: max(1, (1 << 14) / (inChannels * 9))) { range in
            // taps[a·3 + b], half[k·3 + b] = Σ_a G[k][a] taps[a·3 + b], result[k·α + l]: lanes over channels.
            let taps = UnsafeMutablePointer<WinogradLanes>.allocate(capacity: 9)
            let half = UnsafeMutablePointer<WinogradLanes>.allocate(capacity: alpha * 3)
            let result = UnsafeMutablePointer<WinogradLanes>.allocate(capacity: alpha * alpha)
            defer { taps.deallocate(); half.deallocate(); result.deallocate() }
            for local in range {
                let kernel = source + local * inChannels * 9
                let o = slice.lowerBound + local
                for first in Swift.stride(from: 0, to: inChannels, by: lanes) {
                    let count = min(lanes, inChannels - first)
                    // Transposed through memory: inserting lanes one by one is far slower.
                    let tapValues = UnsafeMutableRawPointer(taps)
                    if count < lanes { taps.initialize(repeating: WinogradLanes(), count: 9) }
                    for lane in 0..<count {
                        let channel = kernel + (first + lane) * 9
                        for tap in 0..<9 { tapValues.storeBytes(of: channel[tap], toByteOffset: (tap * lanes + lane) * 4, as: Float.self) }
                    }
                    for b in 0..<3 { T.kernel(taps + b, 3, half + b, 3) }
                    for k in 0..<alpha { T.kernel(half + k * 3, 1, result + k * alpha, 1) }
                    for point in 0..<(alpha * alpha) {
                        let into = target + (point * totalOut + o) * inChannels + first
                        if count == lanes {
                            UnsafeMutableRawPointer(into).storeBytes(of: result[point], as: WinogradLanes.self)
                        } else {
                            for lane in 0..<count { into[lane] = result[point][lane] }
                        }
                    }
                }
            }
        }
    }
}
