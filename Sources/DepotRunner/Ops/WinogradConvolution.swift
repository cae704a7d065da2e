extension Tensor {
    /// 3×3 stride-1 convolution of NCHW by Winograd F(m×m, 3×3): input tiles are transformed
    /// (Bᵀ d B), multiplied point by point with the transformed kernels as α² sgemms over
    /// [out, in] × [in, tiles], and transformed back (Aᵀ M A). Tiles past the bottom/right edge
    /// read zeros and their extra outputs are dropped. Work goes in blocks of tile rows so the
    /// transformed input and products stay under `blockLimit` floats each.
    func conv2dWinograd(kernels: WinogradKernels, bias: [Float]?, padding: Padding2D, blockLimit: Int = Tensor.patchBufferLimit) -> Tensor {
        precondition(shape.count == 4 && shape[1] == kernels.inChannels, "Winograd conv2d: input \(shape) does not have \(kernels.inChannels) channels")
        let geometry = ConvolutionGeometry(input: shape, weight: [kernels.outChannels, kernels.inChannels, 3, 3], stride: 1, padding: padding)
        if let bias { precondition(bias.count == geometry.outChannels, "conv2d bias has \(bias.count) values, expected \(geometry.outChannels)") }
        let plan = WinogradPlan(geometry: geometry, tiling: kernels.tiling)
        // The throughput figures count the direct convolution's work, not the cheaper products below.
        MatrixMultiplyCounter.multiplyAdds.add(geometry.outChannels * geometry.depth * geometry.batch * geometry.plane, ordering: .relaxed)
        let rowsPerBlock = max(1, blockLimit / (plan.points * max(geometry.channels, geometry.outChannels) * plan.tilesW))
        let blockColumns = min(rowsPerBlock, plan.tileRows) * plan.tilesW
        // Every value is written by the input transform or the products before it is read.
        var transformed = [Float](unsafeUninitializedCapacity: plan.points * geometry.channels * blockColumns) { $1 = $0.count }
        var products = [Float](unsafeUninitializedCapacity: plan.points * geometry.outChannels * blockColumns) { $1 = $0.count }
        return Tensor.uninitialized([geometry.batch, geometry.outChannels, geometry.outH, geometry.outW]) { out in
            data.withUnsafeBufferPointer { input in
                kernels.values.withUnsafeBufferPointer { u in
                    transformed.withUnsafeMutableBufferPointer { v in
                        products.withUnsafeMutableBufferPointer { m in
                            for first in Swift.stride(from: 0, to: plan.tileRows, by: rowsPerBlock) {
                                let rows = first..<min(plan.tileRows, first + rowsPerBlock)
                                let columns = rows.count * plan.tilesW
                                plan.transformInput(input.baseAddress!, tileRows: rows, into: v.baseAddress!)
                                for point in 0..<plan.points {
                                    BLAS.sgemm(m: geometry.outChannels, n: columns, k: geometry.channels,
                                               a: u.baseAddress! + point * geometry.outChannels * geometry.channels, lda: geometry.channels,
                                               b: v.baseAddress! + point * geometry.channels * columns, ldb: columns,
                                               c: m.baseAddress! + point * geometry.outChannels * columns, ldc: columns, counted: false)
                                }
                                plan.transformOutput(m.baseAddress!, tileRows: rows, bias: bias, into: out.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The tile grid of one Winograd convolution and its input and output transforms. Tile rows are
/// numbered over (batch item, tile row) so small images fold the batch into the same products.
struct WinogradPlan {
    let geometry: ConvolutionGeometry
    let tiling: WinogradTiling
    let tilesH: Int, tilesW: Int

    init(geometry: ConvolutionGeometry, tiling: WinogradTiling) {
        self.geometry = geometry
        self.tiling = tiling
        tilesH = (geometry.outH + tiling.outputTile - 1) / tiling.outputTile
        tilesW = (geometry.outW + tiling.outputTile - 1) / tiling.outputTile
    }

    var points: Int { tiling.points }
    var tileRows: Int { geometry.batch * tilesH }

    /// V[ξ][c][t] for the tiles t of `tileRows` (tile-row-major, tilesW per row).
    func transformInput(_ input: UnsafePointer<Float>, tileRows rows: Range<Int>, into target: UnsafeMutablePointer<Float>) {
        if tiling == .f2 {
            transformInput(WinogradF2.self, input, tileRows: rows, into: target)
        } else {
            transformInput(WinogradF4.self, input, tileRows: rows, into: target)
        }
    }

    /// Output rows of `tileRows` from the products M[ξ][o][t]: Aᵀ M A plus the bias.
    func transformOutput(_ products: UnsafePointer<Float>, tileRows rows: Range<Int>, bias: [Float]?, into output: UnsafeMutablePointer<Float>) {
        if tiling == .f2 {
            transformOutput(WinogradF2.self, products, tileRows: rows, bias: bias, into: output)
        } else {
            transformOutput(WinogradF4.self, products, tileRows: rows, bias: bias, into: output)
        }
    }

    private var lanes: Int { WinogradLanes.scalarCount }

    private func transformInput<T: WinogradTransforms>(_: T.Type, _ input: UnsafePointer<Float>, tileRows rows: Range<Int>,
                                                       into target: UnsafeMutablePointer<Float>) {
        let g = geometry, m = T.outputTile, alpha = m + 2, lanes = lanes
        let columns = rows.count * tilesW
        // A zero-padded input row long enough for whole groups of eight tiles.
        let paddedWidth = ((tilesW + lanes - 1) / lanes) * lanes * m + 2
        Parallel.forRanges(g.channels, grain: max(1, (1 << 12) / max(1, columns))) { channels in
            // tile[j·α + i], half[j·α + l] = Σ_i Bᵀ[l][i] tile[j·α + i], result[k·α + l]: lanes over eight tiles.
            let lines = UnsafeMutablePointer<Float>.allocate(capacity: alpha * paddedWidth)
            let tile = UnsafeMutablePointer<WinogradLanes>.allocate(capacity: alpha * alpha)
            let half = UnsafeMutablePointer<WinogradLanes>.allocate(capacity: alpha * alpha)
            let result = UnsafeMutablePointer<WinogradLanes>.allocate(capacity: alpha * alpha)
            defer { lines.deallocate(); tile.deallocate(); half.deallocate(); result.deallocate() }
            for c in channels {
                for (rowIndex, tileRow) in rows.enumerated() {
                    let (b, ty) = tileRow.quotientAndRemainder(dividingBy: tilesH)
                    let source = input + (b * g.channels + c) * g.height * g.width
                    for j in 0..<alpha {
                        let line = lines + j * paddedWidth
                        line.initialize(repeating: 0, count: paddedWidth)
                        let iy = ty * m + j - g.padding.top
                        guard iy >= 0 && iy < g.height else { continue }
                        let first = max(0, g.padding.left), end = min(paddedWidth, g.width + g.padding.left)
                        if first < end { (line + first).update(from: source + iy * g.width + first - g.padding.left, count: end - first) }
                    }
                    for firstTile in Swift.stride(from: 0, to: tilesW, by: lanes) {
                        // Transposed through memory: inserting lanes one by one is far slower.
                        let tileValues = UnsafeMutableRawPointer(tile)
                        for j in 0..<alpha {
                            let line = lines + j * paddedWidth + firstTile * m
                            for lane in 0..<lanes {
                                for i in 0..<alpha {
                                    tileValues.storeBytes(of: line[lane * m + i], toByteOffset: ((j * alpha + i) * lanes + lane) * 4, as: Float.self)
                                }
                            }
                            T.input(tile + j * alpha, 1, half + j * alpha, 1)
                        }
                        for l in 0..<alpha { T.input(half + l, alpha, result + l, alpha) }
                        let count = min(lanes, tilesW - firstTile)
                        let offset = rowIndex * tilesW + firstTile
                        for point in 0..<(alpha * alpha) {
                            let into = target + (point * g.channels + c) * columns + offset
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

    private func transformOutput<T: WinogradTransforms>(_: T.Type, _ products: UnsafePointer<Float>, tileRows rows: Range<Int>,
                                                        bias: [Float]?, into output: UnsafeMutablePointer<Float>) {
        let g = geometry, m = T.outputTile, alpha = m + 2, lanes = lanes
        let columns = rows.count * tilesW
        Parallel.forRanges(g.outChannels, grain: max(1, (1 << 12) / max(1, columns))) { outChannels in
            // product[k·α + l], half[r·α + l] = Σ_k Aᵀ[r][k] product[k·α + l], result[r·m + s]: lanes over eight tiles.
            let product = UnsafeMutablePointer<WinogradLanes>.allocate(capacity: alpha * alpha)
            let half = UnsafeMutablePointer<WinogradLanes>.allocate(capacity: m * alpha)
            let result = UnsafeMutablePointer<WinogradLanes>.allocate(capacity: m * m)
            defer { product.deallocate(); half.deallocate(); result.deallocate() }
            for o in outChannels {
                let shift = WinogradLanes(repeating: bias?[o] ?? 0)
                for (rowIndex, tileRow) in rows.enumerated() {
                    let (b, ty) = tileRow.quotientAndRemainder(dividingBy: tilesH)
                    let plane = output + (b * g.outChannels + o) * g.plane
                    for firstTile in Swift.stride(from: 0, to: tilesW, by: lanes) {
                        let count = min(lanes, tilesW - firstTile)
                        let offset = rowIndex * tilesW + firstTile
                        for point in 0..<(alpha * alpha) {
                            let from = products + (point * g.outChannels + o) * columns + offset
                            if count == lanes {
                                product[point] = UnsafeRawPointer(from).loadUnaligned(as: WinogradLanes.self)
                            } else {
                                var value = WinogradLanes()
                                for lane in 0..<count { value[lane] = from[lane] }
                                product[point] = value
                            }
                        }
                        for l in 0..<alpha { T.output(product + l, alpha, half + l, alpha) }
                        for r in 0..<m { T.output(half + r * alpha, 1, result + r * m, 1) }
                        for r in 0..<min(m, g.outH - ty * m) {
                            let line = plane + (ty * m + r) * g.outW
                            for s in 0..<m {
                                let values = result[r * m + s] + shift
                                for lane in 0..<count {
                                    let x = (firstTile + lane) * m + s
                                    if x < g.outW { line[x] = values[lane] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
