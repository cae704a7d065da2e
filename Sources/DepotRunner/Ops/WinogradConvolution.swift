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
        var transformed = [Float](repeating: 0, count: plan.points * geometry.channels * blockColumns)
        var products = [Float](repeating: 0, count: plan.points * geometry.outChannels * blockColumns)
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
        let g = geometry, m = tiling.outputTile, alpha = tiling.inputTile
        let columns = rows.count * tilesW
        let terms = WinogradTiling.terms(tiling.inputTransform, columns: alpha)
        let paddedWidth = tilesW * m + 2
        Parallel.forRanges(g.channels, grain: max(1, (1 << 14) / max(1, columns * alpha))) { channels in
            // line: one zero-padded input row; tile[j][i][tx] = input(ty·m + j, tx·m + i);
            // half[j][l][tx] = Σ_i Bᵀ[l][i] tile[j][i][tx].
            let line = UnsafeMutablePointer<Float>.allocate(capacity: paddedWidth)
            let tile = UnsafeMutablePointer<Float>.allocate(capacity: alpha * alpha * tilesW)
            let half = UnsafeMutablePointer<Float>.allocate(capacity: alpha * alpha * tilesW)
            defer { line.deallocate(); tile.deallocate(); half.deallocate() }
            for c in channels {
                for (rowIndex, tileRow) in rows.enumerated() {
                    let (b, ty) = tileRow.quotientAndRemainder(dividingBy: tilesH)
                    let source = input + (b * g.channels + c) * g.height * g.width
                    for j in 0..<alpha {
                        let iy = ty * m + j - g.padding.top
                        line.initialize(repeating: 0, count: paddedWidth)
                        if iy >= 0 && iy < g.height {
                            let first = max(0, g.padding.left), end = min(paddedWidth, g.width + g.padding.left)
                            if first < end { (line + first).update(from: source + iy * g.width + first - g.padding.left, count: end - first) }
                        }
                        for i in 0..<alpha {
                            let into = tile + (j * alpha + i) * tilesW
                            for tx in 0..<tilesW { into[tx] = line[tx * m + i] }
                        }
                    }
                    half.initialize(repeating: 0, count: alpha * alpha * tilesW)
                    for j in 0..<alpha {
                        for (l, i, value) in terms {
                            let into = half + (j * alpha + l) * tilesW, from = tile + (j * alpha + i) * tilesW
                            for tx in 0..<tilesW { into[tx] += value * from[tx] }
                        }
                    }
                    for k in 0..<alpha {
                        for l in 0..<alpha {
                            let into = target + ((k * alpha + l) * g.channels + c) * columns + rowIndex * tilesW
                            into.initialize(repeating: 0, count: tilesW)
                            for (row, j, value) in terms where row == k {
                                let from = half + (j * alpha + l) * tilesW
                                for tx in 0..<tilesW { into[tx] += value * from[tx] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Output rows of `tileRows` from the products M[ξ][o][t]: Aᵀ M A plus the bias.
    func transformOutput(_ products: UnsafePointer<Float>, tileRows rows: Range<Int>, bias: [Float]?, into output: UnsafeMutablePointer<Float>) {
        let g = geometry, m = tiling.outputTile, alpha = tiling.inputTile
        let columns = rows.count * tilesW
        let terms = WinogradTiling.terms(tiling.outputTransform, columns: alpha)
        Parallel.forRanges(g.outChannels, grain: max(1, (1 << 14) / max(1, columns * alpha))) { outChannels in
            // half[r][l][tx] = Σ_k Aᵀ[r][k] M[k][l][tx]; result[s][tx] = Σ_l Aᵀ[s][l] half[r][l][tx].
            let half = UnsafeMutablePointer<Float>.allocate(capacity: m * alpha * tilesW)
            let result = UnsafeMutablePointer<Float>.allocate(capacity: m * tilesW)
            defer { half.deallocate(); result.deallocate() }
            for o in outChannels {
                let shift = bias?[o] ?? 0
                for (rowIndex, tileRow) in rows.enumerated() {
                    let (b, ty) = tileRow.quotientAndRemainder(dividingBy: tilesH)
                    half.initialize(repeating: 0, count: m * alpha * tilesW)
                    for (r, k, value) in terms {
                        for l in 0..<alpha {
                            let into = half + (r * alpha + l) * tilesW
                            let from = products + ((k * alpha + l) * g.outChannels + o) * columns + rowIndex * tilesW
                            for tx in 0..<tilesW { into[tx] += value * from[tx] }
                        }
                    }
                    let plane = output + (b * g.outChannels + o) * g.plane
                    for r in 0..<min(m, g.outH - ty * m) {
                        result.initialize(repeating: shift, count: m * tilesW)
                        for (s, l, value) in terms {
                            let into = result + s * tilesW, from = half + (r * alpha + l) * tilesW
                            for tx in 0..<tilesW { into[tx] += value * from[tx] }
                        }
                        let line = plane + (ty * m + r) * g.outW
                        for tx in 0..<tilesW {
                            for s in 0..<min(m, g.outW - tx * m) { line[tx * m + s] = result[s * tilesW + tx] }
                        }
                    }
                }
            }
        }
    }
}
