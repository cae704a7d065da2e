/// The VAE's single-head spatial self-attention (diffusers' Attention with a group norm and a
/// residual connection, as converted from the original AttnBlock).
struct VAEAttention: Sendable {
    let norm: GroupNormLayer
    let attention: AttentionLayer

    init(_ weights: Weights, channels: Int, groups: Int, eps: Float) throws(ModelLoadError) {
        norm = try GroupNormLayer(weights, "group_norm", groups: groups, channels: channels, eps: eps)
        attention = try AttentionLayer(weights, names: .diffusers, width: channels, contextWidth: channels,
                                       heads: 1, headDim: channels, projectionBias: true)
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let (height, width) = (x.shape[2], x.shape[3])
        let tokens = try norm(x).channelsLastTokens()
        return x + (try attention(tokens)).channelsFirstImage(height: height, width: width)
    }
}

/// UNetMidBlock2D without time embedding: resnet, (attention, resnet).
struct VAEMidBlock: Sendable {
    let first: ResnetBlock2D
    let attention: VAEAttention?
    let second: ResnetBlock2D

    init(_ weights: Weights, channels: Int, groups: Int, addAttention: Bool) throws(ModelLoadError) {
        let eps: Float = 1e-6
        first = try ResnetBlock2D(weights.scoped("resnets.0"), in: channels, out: channels, timeChannels: nil, groups: groups, eps: eps)
        attention = addAttention ? try VAEAttention(weights.scoped("attentions.0"), channels: channels, groups: groups, eps: eps) : nil
        second = try ResnetBlock2D(weights.scoped("resnets.1"), in: channels, out: channels, timeChannels: nil, groups: groups, eps: eps)
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        var h = try first(x, activatedTime: nil)
        if let attention { h = try attention(h) }
        return try second(h, activatedTime: nil)
    }
}
