/// Zero padding on each side of a 2-D input.
public struct Padding2D: Sendable, Equatable {
    public var top: Int, bottom: Int, left: Int, right: Int

    public init(top: Int, bottom: Int, left: Int, right: Int) {
        (self.top, self.bottom, self.left, self.right) = (top, bottom, left, right)
    }

    public init(_ all: Int) { self.init(top: all, bottom: all, left: all, right: all) }
}

extension Tensor {
    /// Largest im2col buffer (in floats) built at once; bigger convolutions go in blocks of rows.
    static let patchBufferLimit = 8 << 20

    /// 2-D convolution of an NCHW input with weight [out, in, kh, kw] by im2col + sgemm. Small
    /// inputs fold the batch into one product so each weight matrix is streamed once; large ones
    /// work in blocks of output rows to bound memory.
    /// `algorithm` nil picks the fastest one for the shapes.
    public func conv2d(weight: Tensor, bias: [Float]?, stride: Int = 1, padding: Padding2D = Padding2D(0),
                       algorithm: ConvolutionAlgorithm? = nil) -> Tensor {
        let geometry = ConvolutionGeometry(input: shape, weight: weight.shape, stride: stride, padding: padding)
        let chosen = algorithm ?? .preferred(for: geometry)
        precondition(chosen.isApplicable(to: geometry), "\(chosen) cannot compute a \(weight.shape) convolution with stride \(stride)")
        if let tiling = chosen.tiling {
            return conv2dWinograd(kernels: WinogradKernels(tiling: tiling, weight: weight), bias: bias, padding: padding)
        }
        return conv2d(weight: weight, bias: bias, stride: stride, padding: padding, patchBufferLimit: Self.patchBufferLimit)
    }

    func conv2d(weight: Tensor, bias: [Float]?, stride: Int, padding: Padding2D, patchBufferLimit: Int) -> Tensor {
        precondition(shape.count == 4 && weight.shape.count == 4, "conv2d needs NCHW input and OIHW weight, got \(shape), \(weight.shape)")
        let geometry = ConvolutionGeometry(input: shape, weight: weight.shape, stride: stride, padding: padding)
        if let bias { precondition(bias.count == geometry.outChannels, "conv2d bias has \(bias.count) values, expected \(geometry.outChannels)") }
        let foldedSize = geometry.depth * geometry.batch * geometry.plane
        // A 1x1 convolution reads its input in place, one product per item: folding would only copy it.
        let readsInPlace = geometry.isPointwise && geometry.plane >= 64
        if foldedSize <= patchBufferLimit && geometry.batch > 1 && !readsInPlace {
            return conv2dFoldingBatch(geometry, weight: weight, bias: bias)
        }
        let outShape = [geometry.batch, geometry.outChannels, geometry.outH, geometry.outW]
        let rowsPerBlock = max(1, patchBufferLimit / max(1, geometry.depth * geometry.outW))
        return Tensor.uninitialized(outShape) { out in
            let output = out.baseAddress!
            for b in 0..<geometry.batch {
                let target = output + b * geometry.outChannels * geometry.plane
                if let bias {
                    for o in 0..<geometry.outChannels { (target + o * geometry.plane).initialize(repeating: bias[o], count: geometry.plane) }
                }
                for firstRow in Swift.stride(from: 0, to: geometry.outH, by: rowsPerBlock) {
                    let rows = firstRow..<min(geometry.outH, firstRow + rowsPerBlock)
                    let columns = rows.count * geometry.outW
                    let direct = geometry.isPointwise
                    let patches = direct ? [] : im2col(geometry, batches: b..<(b + 1), rows: rows)
                    weight.data.withUnsafeBufferPointer { w in
                        data.withUnsafeBufferPointer { x in
                            patches.withUnsafeBufferPointer { p in
                                let source = direct ? x.baseAddress! + b * geometry.channels * geometry.plane + firstRow * geometry.outW : p.baseAddress!
                                BLAS.sgemm(m: geometry.outChannels, n: columns, k: geometry.depth, a: w.baseAddress!, lda: geometry.depth,
                                           b: source, ldb: direct ? geometry.plane : columns, beta: bias == nil ? 0 : 1,
                                           c: target + firstRow * geometry.outW, ldc: geometry.plane)
                            }
                        }
                    }
                }
            }
        }
    }

    private func conv2dFoldingBatch(_ geometry: ConvolutionGeometry, weight: Tensor, bias: [Float]?) -> Tensor {
        foldingBatch(geometry, bias: bias) { patches, output, columns in
            weight.data.withUnsafeBufferPointer { w in
                BLAS.sgemm(m: geometry.outChannels, n: columns, k: geometry.depth, a: w.baseAddress!, lda: geometry.depth,
                           b: patches, ldb: columns, beta: bias == nil ? 0 : 1, c: output, ldc: columns)
            }
        }
    }

    /// The convolution with a float16 OIHW weight read in place (HalfWeightProduct), batch folded.
    func conv2d(_ geometry: ConvolutionGeometry, halfWeight: UnsafeRawPointer, bias: [Float]?) -> Tensor {
        if let bias { precondition(bias.count == geometry.outChannels, "conv2d bias has \(bias.count) values, expected \(geometry.outChannels)") }
        return foldingBatch(geometry, bias: bias) { patches, output, columns in
            HalfWeightProduct.multiply(weight: halfWeight, m: geometry.outChannels, k: geometry.depth, x: patches, ldx: columns,
                                       n: columns, c: output, ldc: columns, accumulate: bias != nil)
        }
    }

    /// im2col over the whole batch, `multiply(patches, product, columns)` into product[o][b · plane + p]
    /// (which holds the bias, if any, beforehand), then the product laid out as NCHW.
    private func foldingBatch(_ geometry: ConvolutionGeometry, bias: [Float]?,
                              multiply: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
        let columns = geometry.batch * geometry.plane
        let patches = im2col(geometry, batches: 0..<geometry.batch, rows: 0..<geometry.outH)
        var product = [Float](unsafeUninitializedCapacity: geometry.outChannels * columns) { buffer, initialized in
            let output = buffer.baseAddress!
            if let bias {
                for o in 0..<geometry.outChannels { (output + o * columns).initialize(repeating: bias[o], count: columns) }
            }
            patches.withUnsafeBufferPointer { p in multiply(p.baseAddress!, output, columns) }
            initialized = geometry.outChannels * columns
        }
        let outShape = [geometry.batch, geometry.outChannels, geometry.outH, geometry.outW]
        return Tensor.uninitialized(outShape) { out in
            product.withUnsafeMutableBufferPointer { source in
                for b in 0..<geometry.batch {
                    for o in 0..<geometry.outChannels {
                        (out.baseAddress! + (b * geometry.outChannels + o) * geometry.plane)
                            .update(from: source.baseAddress! + o * columns + b * geometry.plane, count: geometry.plane)
                    }
                }
            }
        }
    }

    /// Patch matrix: rows are (channel, ky, kx); columns are (batch, oy, ox) over `batches` × `rows`.
    private func im2col(_ g: ConvolutionGeometry, batches: Range<Int>, rows outRows: Range<Int>) -> [Float] {
        let blockPlane = outRows.count * g.outW
        let columns = batches.count * blockPlane
        let depth = g.depth
        return [Float](unsafeUninitializedCapacity: depth * columns) { buffer, initialized in
            let out = buffer.baseAddress!
            data.withUnsafeBufferPointer { input in
                let x = input.baseAddress!
                Parallel.forRanges(depth, grain: max(1, (1 << 15) / max(1, columns))) { patchRows in
                    for row in patchRows {
                        let (channelTap, kx) = row.quotientAndRemainder(dividingBy: g.kernelW)
                        let (c, ky) = channelTap.quotientAndRemainder(dividingBy: g.kernelH)
                        for (index, b) in batches.enumerated() {
                            let source = x + (b * g.channels + c) * g.height * g.width
                            let target = out + row * columns + index * blockPlane
                            for (lineIndex, oy) in outRows.enumerated() {
                                let iy = oy * g.stride + ky - g.padding.top
                                let line = target + lineIndex * g.outW
                                guard iy >= 0 && iy < g.height else {
                                    line.initialize(repeating: 0, count: g.outW)
                                    continue
                                }
                                let sourceLine = source + iy * g.width
                                if g.stride == 1 {
                                    // ix = ox + shift: a zero border around one contiguous copy.
                                    let shift = kx - g.padding.left
                                    let first = min(g.outW, max(0, -shift)), end = max(first, min(g.outW, g.width - shift))
                                    line.initialize(repeating: 0, count: first)
                                    (line + first).initialize(from: sourceLine + first + shift, count: end - first)
                                    (line + end).initialize(repeating: 0, count: g.outW - end)
                                    continue
                                }
                                for ox in 0..<g.outW {
                                    let ix = ox * g.stride + kx - g.padding.left
                                    line[ox] = (ix >= 0 && ix < g.width) ? sourceLine[ix] : 0
                                }
                            }
                        }
                    }
                }
            }
            initialized = depth * columns
        }
    }
}

/// Sizes of one convolution.
struct ConvolutionGeometry {
    let batch: Int, channels: Int, height: Int, width: Int
    let outChannels: Int, kernelH: Int, kernelW: Int
    let stride: Int, padding: Padding2D
    let outH: Int, outW: Int

    init(input: [Int], weight: [Int], stride: Int, padding: Padding2D) {
        (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
        (outChannels, kernelH, kernelW) = (weight[0], weight[2], weight[3])
        precondition(weight[1] == channels, "conv2d weight expects \(weight[1]) input channels, got \(channels)")
        self.stride = stride
        self.padding = padding
        outH = (height + padding.top + padding.bottom - kernelH) / stride + 1
        outW = (width + padding.left + padding.right - kernelW) / stride + 1
    }

    var plane: Int { outH * outW }
    var depth: Int { channels * kernelH * kernelW }
    var isPointwise: Bool { kernelH == 1 && kernelW == 1 && stride == 1 && padding == Padding2D(0) }
}
