/// diffusers' Decoder: conv_in, mid block, UpDecoderBlock2Ds (deepest first), norm, SiLU, conv_out.
struct VAEDecoder: Sendable {
    struct UpBlock: Sendable {
        let resnets: [ResnetBlock2D]
        let upsampler: Upsample2D?
    }

    let convIn: Conv2dLayer
    let mid: VAEMidBlock
    let upBlocks: [UpBlock]
    let normOut: GroupNormLayer
    let convOut: Conv2dLayer

    init(_ weights: Weights, config: VAEConfig) throws(ModelLoadError) {
        let channels = Array(config.blockOutChannels.reversed())
        let groups = config.normNumGroups
        let eps: Float = 1e-6
        convIn = try Conv2dLayer(weights, "conv_in", in: config.latentChannels, out: channels[0], kernel: 3)
        mid = try VAEMidBlock(weights.scoped("mid_block"), channels: channels[0], groups: groups, addAttention: config.midBlockAddsAttention)
        var blocks: [UpBlock] = []
        var previous = channels[0]
        for (index, output) in channels.enumerated() {
            let scope = weights.scoped("up_blocks.\(index)")
            let resnets = try (0..<(config.layersPerBlock + 1)).map { layer throws(ModelLoadError) in
                try ResnetBlock2D(scope.scoped("resnets.\(layer)"), in: layer == 0 ? previous : output, out: output,
                                  timeChannels: nil, groups: groups, eps: eps)
            }
            let isLast = index == channels.count - 1
            blocks.append(UpBlock(resnets: resnets, upsampler: isLast ? nil : try Upsample2D(scope.scoped("upsamplers.0"), channels: output)))
            previous = output
        }
        upBlocks = blocks
        normOut = try GroupNormLayer(weights, "conv_norm_out", groups: groups, channels: channels.last!, eps: eps)
        convOut = try Conv2dLayer(weights, "conv_out", in: channels.last!, out: config.outChannels, kernel: 3)
    }

    func callAsFunction(_ z: Tensor) throws -> Tensor {
        var h = try mid(try convIn(z))
        for block in upBlocks {
            for resnet in block.resnets { h = try resnet(h, activatedTime: nil) }
            if let upsampler = block.upsampler { h = try upsampler(h) }
        }
        return try convOut(try normOut(h, then: .silu))
    }
}
