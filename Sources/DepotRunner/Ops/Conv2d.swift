/// Zero padding on each side of a 2-D input.
public struct Padding2D: Sendable, Equatable {
    public var top: Int, bottom: Int, left: Int, right: Int

    public init(top: Int, bottom: Int, left: Int, right: Int) {
        (self.top, self.bottom, self.left, self.right) = (top, bottom, left, right)
    }

    public init(_ all: Int) { self.init(top: all, bottom: all, left: all, right: all) }
}

extension Tensor {
    /// 2-D convolution of an NCHW input with weight [out, in, kh, kw]: im2col over the whole batch,
    /// then one sgemm, so each weight matrix is streamed once per call.
    public func conv2d(weight: Tensor, bias: [Float]?, stride: Int = 1, padding: Padding2D = Padding2D(0)) -> Tensor {
        precondition(shape.count == 4 && weight.shape.count == 4, "conv2d needs NCHW input and OIHW weight, got \(shape), \(weight.shape)")
        let (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        let (outChannels, kernelH, kernelW) = (weight.shape[0], weight.shape[2], weight.shape[3])
        precondition(weight.shape[1] == channels, "conv2d weight expects \(weight.shape[1]) input channels, got \(channels)")
        let outH = (height + padding.top + padding.bottom - kernelH) / stride + 1
        let outW = (width + padding.left + padding.right - kernelW) / stride + 1
        let plane = outH * outW
        let columns = batch * plane
        let depth = channels * kernelH * kernelW

        let isPointwise = kernelH == 1 && kernelW == 1 && stride == 1 && padding == Padding2D(0)
        let patches: [Float]
        if isPointwise && batch == 1 {
            patches = data
        } else {
            patches = im2col(kernelH: kernelH, kernelW: kernelW, stride: stride, padding: padding, outH: outH, outW: outW)
        }
        // product[o][b * plane + p]
        var product = [Float](unsafeUninitializedCapacity: outChannels * columns) { buffer, initialized in
            let output = buffer.baseAddress!
            if let bias {
                precondition(bias.count == outChannels, "conv2d bias has \(bias.count) values, expected \(outChannels)")
                for o in 0..<outChannels { (output + o * columns).initialize(repeating: bias[o], count: columns) }
            }
            patches.withUnsafeBufferPointer { p in
                weight.data.withUnsafeBufferPointer { w in
                    BLAS.sgemm(m: outChannels, n: columns, k: depth, a: w.baseAddress!, lda: depth,
                               b: p.baseAddress!, ldb: columns, beta: bias == nil ? 0 : 1, c: output, ldc: columns)
                }
            }
            initialized = outChannels * columns
        }
        let outShape = [batch, outChannels, outH, outW]
        if batch == 1 { return Tensor(shape: outShape, data: product) }
        return Tensor.uninitialized(outShape) { out in
            product.withUnsafeMutableBufferPointer { source in
                for b in 0..<batch {
                    for o in 0..<outChannels {
                        (out.baseAddress! + (b * outChannels + o) * plane)
                            .update(from: source.baseAddress! + o * columns + b * plane, count: plane)
                    }
                }
            }
        }
    }

    /// Rows are (channel, ky, kx); columns are (batch, oy, ox).
    private func im2col(kernelH: Int, kernelW: Int, stride: Int, padding: Padding2D, outH: Int, outW: Int) -> [Float] {
        let (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        let plane = outH * outW
        let columns = batch * plane
        let rows = channels * kernelH * kernelW
        return [Float](unsafeUninitializedCapacity: rows * columns) { buffer, initialized in
            let out = buffer.baseAddress!
            data.withUnsafeBufferPointer { input in
                let x = input.baseAddress!
                for c in 0..<channels {
                    for ky in 0..<kernelH {
                        for kx in 0..<kernelW {
                            let row = (c * kernelH + ky) * kernelW + kx
                            for b in 0..<batch {
                                let source = x + (b * channels + c) * height * width
                                let target = out + row * columns + b * plane
                                for oy in 0..<outH {
                                    let iy = oy * stride + ky - padding.top
                                    let line = target + oy * outW
                                    if iy < 0 || iy >= height {
                                        line.initialize(repeating: 0, count: outW)
                                        continue
                                    }
                                    let sourceLine = source + iy * width
                                    for ox in 0..<outW {
                                        let ix = ox * stride + kx - padding.left
                                        line[ox] = (ix >= 0 && ix < width) ? sourceLine[ix] : 0
                                    }
                                }
                            }
                        }
                    }
                }
            }
            initialized = rows * columns
        }
    }
}
