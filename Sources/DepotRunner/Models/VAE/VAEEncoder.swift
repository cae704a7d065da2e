/// diffusers' Encoder: conv_in, DownEncoderBlock2Ds (resnets, then a stride-2 conv padded on the
/// right and bottom), mid block, norm, SiLU, conv_out to mean and log-variance channels.
struct VAEEncoder: Sendable {
    struct DownBlock: Sendable {
        let resnets: [ResnetBlock2D]
        let downsampler: Downsample2D?
    }

    let convIn: Conv2dLayer
    let downBlocks: [DownBlock]
    let mid: VAEMidBlock
    let normOut: GroupNormLayer
    let convOut: Conv2dLayer

    init(_ weights: Weights, config: VAEConfig) throws(ModelLoadError) {
        let channels = config.blockOutChannels
        let groups = config.normNumGroups
        let eps: Float = 1e-6
        convIn = try Conv2dLayer(weights, "conv_in", in: config.inChannels, out: channels[0], kernel: 3)
        var blocks: [DownBlock] = []
        var previous = channels[0]
        for (index, output) in channels.enumerated() {
            let scope = weights.scoped("down_blocks.\(index)")
            let resnets = try (0..<config.layersPerBlock).map { layer throws(ModelLoadError) in
                try ResnetBlock2D(scope.scoped("resnets.\(layer)"), in: layer == 0 ? previous : output, out: output,
                                  timeChannels: nil, groups: groups, eps: eps)
            }
            let isLast = index == channels.count - 1
            blocks.append(DownBlock(resnets: resnets,
                                    downsampler: isLast ? nil : try Downsample2D(scope.scoped("downsamplers.0"), channels: output, padding: 0)))
            previous = output
        }
        downBlocks = blocks
        mid = try VAEMidBlock(weights.scoped("mid_block"), channels: channels.last!, groups: groups, addAttention: config.midBlockAddsAttention)
        normOut = try GroupNormLayer(weights, "conv_norm_out", groups: groups, channels: channels.last!, eps: eps)
        convOut = try Conv2dLayer(weights, "conv_out", in: channels.last!, out: 2 * config.latentChannels, kernel: 3)
    }

    func callAsFunction(_ image: Tensor) throws -> Tensor {
        var h = try convIn(image)
        for block in downBlocks {
            for resnet in block.resnets { h = try resnet(h, activatedTime: nil) }
            if let downsampler = block.downsampler { h = try downsampler(h) }
        }
        return try convOut(try normOut(try mid(h), then: .silu))
    }
}

/// The encoder's diagonal Gaussian over latents (diffusers' DiagonalGaussianDistribution).
public struct LatentDistribution: Sendable {
    public let mean: Tensor
    /// Clamped to [-30, 20] as diffusers does.
    public let logVariance: Tensor

    /// Splits encoder moments [B, 2C, h, w] into mean and log-variance halves.
    init(moments: Tensor) {
        let (batch, channels) = (moments.shape[0], moments.shape[1] / 2)
        let plane = moments.shape[2] * moments.shape[3]
        let shape = [batch, channels, moments.shape[2], moments.shape[3]]
        var mean: [Float] = [], logVariance: [Float] = []
        for b in 0..<batch {
            let start = b * 2 * channels * plane
            mean += moments.data[start..<(start + channels * plane)]
            logVariance += moments.data[(start + channels * plane)..<(start + 2 * channels * plane)].map { min(max($0, -30), 20) }
        }
        self.mean = Tensor(shape: shape, data: mean)
        self.logVariance = Tensor(shape: shape, data: logVariance)
    }

    public var standardDeviation: Tensor {
        Tensor(shape: logVariance.shape, data: logVariance.data.map { (0.5 * $0).exp() })
    }

    /// mean + std · noise, with `noise` standard normal of the same shape.
    public func sample(noise: Tensor) -> Tensor {
        precondition(noise.shape == mean.shape, "noise must be \(mean.shape), got \(noise.shape)")
        let deviation = standardDeviation
        return Tensor(shape: mean.shape, data: (0..<mean.count).map { mean.data[$0] + deviation.data[$0] * noise.data[$0] })
    }
}

private extension Float {
    func exp() -> Float { FastMath.exp(self) }
}
