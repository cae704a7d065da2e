/// Settings every UNet block shares.
struct UNetBlockSettings {
    let timeChannels: Int
    let groups: Int
    let eps: Float
    let resnetScale: Float
    let linearProjection: Bool

    func resnet(_ weights: Weights, in inChannels: Int, out outChannels: Int, scale: Float? = nil) throws(ModelLoadError) -> ResnetBlock2D {
        try ResnetBlock2D(weights, in: inChannels, out: outChannels, timeChannels: timeChannels, groups: groups, eps: eps,
                          outputScale: scale ?? resnetScale)
    }

    func transformer(_ weights: Weights, channels: Int, heads: Int, layers: Int, contextWidth: Int) throws(ModelLoadError) -> Transformer2D {
        try Transformer2D(weights, channels: channels, heads: heads, layers: layers, contextWidth: contextWidth,
                          groups: groups, linearProjection: linearProjection)
    }
}

/// CrossAttnDownBlock2D / DownBlock2D: (resnet, attention?) × layers, then an optional downsampler.
/// Returns every intermediate state for the skip connections.
struct UNetDownBlock: Sendable {
    let resnets: [ResnetBlock2D]
    let attentions: [Transformer2D]
    let downsampler: Downsample2D?

    init(_ weights: Weights, type: UNetConfig.DownBlockType, in inChannels: Int, out outChannels: Int, layers: Int,
         heads: Int, transformerLayers: Int, contextWidth: Int, addDownsample: Bool, downsamplePadding: Int,
         settings: UNetBlockSettings) throws(ModelLoadError) {
        resnets = try (0..<layers).map { index throws(ModelLoadError) in
            try settings.resnet(weights.scoped("resnets.\(index)"), in: index == 0 ? inChannels : outChannels, out: outChannels)
        }
        attentions = type == .plain ? [] : try (0..<layers).map { index throws(ModelLoadError) in
            try settings.transformer(weights.scoped("attentions.\(index)"), channels: outChannels, heads: heads,
                                     layers: transformerLayers, contextWidth: contextWidth)
        }
        downsampler = addDownsample
            ? try Downsample2D(weights.scoped("downsamplers.0"), channels: outChannels, padding: downsamplePadding)
            : nil
    }

    func callAsFunction(_ x: Tensor, activatedTime: Tensor, context: Tensor) throws -> (Tensor, [Tensor]) {
        var h = x
        var states: [Tensor] = []
        for (index, resnet) in resnets.enumerated() {
            h = try resnet(h, activatedTime: activatedTime)
            if !attentions.isEmpty { h = try attentions[index](h, context: context) }
            states.append(h)
        }
        if let downsampler {
            h = try downsampler(h)
            states.append(h)
        }
        return (h, states)
    }
}

/// UNetMidBlock2DCrossAttn: resnet, then (attention, resnet).
struct UNetMidBlock: Sendable {
    let first: ResnetBlock2D
    let attention: Transformer2D
    let second: ResnetBlock2D

    init(_ weights: Weights, channels: Int, heads: Int, transformerLayers: Int, contextWidth: Int, scale: Float,
         settings: UNetBlockSettings) throws(ModelLoadError) {
        first = try settings.resnet(weights.scoped("resnets.0"), in: channels, out: channels, scale: scale)
        attention = try settings.transformer(weights.scoped("attentions.0"), channels: channels, heads: heads,
                                             layers: transformerLayers, contextWidth: contextWidth)
        second = try settings.resnet(weights.scoped("resnets.1"), in: channels, out: channels, scale: scale)
    }

    func callAsFunction(_ x: Tensor, activatedTime: Tensor, context: Tensor) throws -> Tensor {
        let h = try first(x, activatedTime: activatedTime)
        return try second(try attention(h, context: context), activatedTime: activatedTime)
    }
}

/// CrossAttnUpBlock2D / UpBlock2D: for each layer, concatenate the latest skip state, resnet,
/// attention?; then an optional upsampler.
struct UNetUpBlock: Sendable {
    let resnets: [ResnetBlock2D]
    let attentions: [Transformer2D]
    let upsampler: Upsample2D?

    init(_ weights: Weights, type: UNetConfig.UpBlockType, in inChannels: Int, previous previousChannels: Int,
         out outChannels: Int, layers: Int, heads: Int, transformerLayers: Int, contextWidth: Int, addUpsample: Bool,
         settings: UNetBlockSettings) throws(ModelLoadError) {
        resnets = try (0..<layers).map { index throws(ModelLoadError) in
            let skipChannels = index == layers - 1 ? inChannels : outChannels
            let resnetIn = index == 0 ? previousChannels : outChannels
            return try settings.resnet(weights.scoped("resnets.\(index)"), in: resnetIn + skipChannels, out: outChannels)
        }
        attentions = type == .plain ? [] : try (0..<layers).map { index throws(ModelLoadError) in
            try settings.transformer(weights.scoped("attentions.\(index)"), channels: outChannels, heads: heads,
                                     layers: transformerLayers, contextWidth: contextWidth)
        }
        upsampler = addUpsample ? try Upsample2D(weights.scoped("upsamplers.0"), channels: outChannels) : nil
    }

    var skipCount: Int { resnets.count }

    /// `skips` are this block's skip states, oldest first (they are consumed newest first).
    func callAsFunction(_ x: Tensor, skips: [Tensor], activatedTime: Tensor, context: Tensor,
                        upsampleSize: (height: Int, width: Int)?) throws -> Tensor {
        var h = x
        var remaining = skips
        for (index, resnet) in resnets.enumerated() {
            h = try resnet(Tensor.concatChannels([h, remaining.removeLast()]), activatedTime: activatedTime)
            if !attentions.isEmpty { h = try attentions[index](h, context: context) }
        }
        if let upsampler { h = try upsampler(h, size: upsampleSize) }
        return h
    }
}
