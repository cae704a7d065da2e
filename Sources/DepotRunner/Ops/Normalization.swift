import CRunnerKernels

extension Tensor {
    /// Group normalisation of [B, C, ...] with per-channel affine parameters.
    /// `silu` applies SiLU to the result in the same pass (norm → SiLU is how every resnet starts).
    public func groupNorm(groups: Int, weight: [Float], bias: [Float], eps: Float, silu: Bool = false) -> Tensor {
        groupNorm(groups: groups, weight: weight, bias: bias, eps: eps, silu: silu, vectorised: VectorKernels.isAvailable)
    }

    func groupNorm(groups: Int, weight: [Float], bias: [Float], eps: Float, silu: Bool, vectorised: Bool) -> Tensor {
        precondition(shape.count >= 2, "groupNorm needs [B, C, ...], got \(shape)")
        let (batch, channels) = (shape[0], shape[1])
        precondition(channels % groups == 0, "groupNorm: \(channels) channels do not split into \(groups) groups")
        precondition(weight.count == channels && bias.count == channels, "groupNorm affine parameters must have \(channels) values")
        let spatial = count / (batch * channels)
        let perGroup = channels / groups
        let groupSize = perGroup * spatial
        return Tensor.uninitialized(shape) { out in
            data.withUnsafeBufferPointer { x in
                Parallel.forRanges(batch * groups, grain: max(1, (1 << 15) / groupSize)) { range in
                    for item in range {
                        let (b, g) = item.quotientAndRemainder(dividingBy: groups)
                        let start = (b * channels + g * perGroup) * spatial
                        let (mean, variance) = Self.moments(x.baseAddress! + start, count: groupSize, vectorised: vectorised)
                        let inverse = 1 / (variance + eps).squareRoot()
                        for c in (g * perGroup)..<((g + 1) * perGroup) {
                            let scale = inverse * weight[c]
                            let shift = bias[c] - mean * scale
                            let base = (b * channels + c) * spatial
                            if vectorised {
                                depot_scale_shift_avx512(x.baseAddress! + base, out.baseAddress! + base, spatial, scale, shift, silu ? 1 : 0)
                            } else if silu {
                                for i in base..<(base + spatial) { out[i] = Activation.silu(x[i] * scale + shift) }
                            } else {
                                for i in base..<(base + spatial) { out[i] = x[i] * scale + shift }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Layer normalisation over the last dimension.
    public func layerNorm(weight: [Float], bias: [Float], eps: Float) -> Tensor {
        let width = shape.last!
        precondition(weight.count == width && bias.count == width, "layerNorm parameters must have \(width) values")
        let rows = count / width
        return Tensor.uninitialized(shape) { out in
            data.withUnsafeBufferPointer { x in
                Parallel.forRanges(rows, grain: max(1, (1 << 15) / width)) { range in
                    for row in range {
                        let base = row * width
                        let (mean, variance) = Self.moments(x.baseAddress! + base, count: width)
                        let inverse = 1 / (variance + eps).squareRoot()
                        for i in 0..<width { out[base + i] = (x[base + i] - mean) * inverse * weight[i] + bias[i] }
                    }
                }
            }
        }
    }

    /// Mean and biased variance, accumulated in Double so large groups keep float32 accuracy.
    static func moments(_ values: UnsafePointer<Float>, count: Int, vectorised: Bool = VectorKernels.isAvailable) -> (mean: Float, variance: Float) {
        if vectorised {
            var mean = 0.0, variance = 0.0
            depot_moments_avx512(values, count, &mean, &variance)
            return (Float(mean), Float(variance))
        }
        var sum = 0.0
        for i in 0..<count { sum += Double(values[i]) }
        let mean = sum / Double(count)
        var squares = 0.0
        for i in 0..<count {
            let d = Double(values[i]) - mean
            squares += d * d
        }
        return (Float(mean), Float(squares / Double(count)))
    }
}
