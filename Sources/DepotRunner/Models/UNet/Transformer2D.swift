/// BasicTransformerBlock: self-attention, cross-attention and a GEGLU feed-forward, each pre-norm
/// with a residual.
struct BasicTransformerBlock: Sendable {
    let norm1: LayerNormLayer, selfAttention: AttentionLayer
    let norm2: LayerNormLayer, crossAttention: AttentionLayer
    let norm3: LayerNormLayer, feedForwardIn: LinearLayer, feedForwardOut: LinearLayer

    init(_ weights: Weights, width: Int, heads: Int, contextWidth: Int) throws(ModelLoadError) {
        let headDim = width / heads
        let inner = width * 4
        norm1 = try LayerNormLayer(weights, "norm1", width: width, eps: 1e-5)
        selfAttention = try AttentionLayer(weights.scoped("attn1"), names: .diffusers, width: width, contextWidth: width,
                                           heads: heads, headDim: headDim, projectionBias: false)
        norm2 = try LayerNormLayer(weights, "norm2", width: width, eps: 1e-5)
        crossAttention = try AttentionLayer(weights.scoped("attn2"), names: .diffusers, width: width, contextWidth: contextWidth,
                                            heads: heads, headDim: headDim, projectionBias: false)
        norm3 = try LayerNormLayer(weights, "norm3", width: width, eps: 1e-5)
        feedForwardIn = try LinearLayer(weights, "ff.net.0.proj", in: width, out: inner * 2)
        feedForwardOut = try LinearLayer(weights, "ff.net.2", in: inner, out: width)
    }

    func callAsFunction(_ x: Tensor, context: Tensor) throws -> Tensor {
        var h = x + (try selfAttention(try norm1(x)))
        h = h + (try crossAttention(try norm2(h), context: context))
        return h + (try feedForwardOut(try feedForwardIn(try norm3(h)).geglu()))
    }
}

/// Transformer2DModel for continuous (image) input: group norm, projection in (1x1 conv or
/// linear), transformer blocks over H·W tokens, projection out, residual.
struct Transformer2D: Sendable {
    let norm: GroupNormLayer
    let usesLinearProjection: Bool
    let projectionInConv: Conv2dLayer?, projectionInLinear: LinearLayer?
    let blocks: [BasicTransformerBlock]
    let projectionOutConv: Conv2dLayer?, projectionOutLinear: LinearLayer?

    init(_ weights: Weights, channels: Int, heads: Int, layers: Int, contextWidth: Int, groups: Int,
         linearProjection: Bool) throws(ModelLoadError) {
        norm = try GroupNormLayer(weights, "norm", groups: groups, channels: channels, eps: 1e-6)
        usesLinearProjection = linearProjection
        if linearProjection {
            projectionInLinear = try LinearLayer(weights, "proj_in", in: channels, out: channels)
            projectionOutLinear = try LinearLayer(weights, "proj_out", in: channels, out: channels)
            projectionInConv = nil
            projectionOutConv = nil
        } else {
            projectionInConv = try Conv2dLayer(weights, "proj_in", in: channels, out: channels, kernel: 1)
            projectionOutConv = try Conv2dLayer(weights, "proj_out", in: channels, out: channels, kernel: 1)
            projectionInLinear = nil
            projectionOutLinear = nil
        }
        blocks = try (0..<layers).map { index throws(ModelLoadError) in
            try BasicTransformerBlock(weights.scoped("transformer_blocks.\(index)"), width: channels, heads: heads, contextWidth: contextWidth)
        }
    }

    func callAsFunction(_ x: Tensor, context: Tensor) throws -> Tensor {
        let (height, width) = (x.shape[2], x.shape[3])
        let normed = try norm(x)
        var tokens: Tensor
        if let projectionInLinear {
            tokens = try projectionInLinear(normed.channelsLastTokens())
        } else {
            tokens = try projectionInConv!(normed).channelsLastTokens()
        }
        for block in blocks { tokens = try block(tokens, context: context) }
        let output: Tensor
        if let projectionOutLinear {
            output = try projectionOutLinear(tokens).channelsFirstImage(height: height, width: width)
        } else {
            output = try projectionOutConv!(tokens.channelsFirstImage(height: height, width: width))
        }
        return output + x
    }
}
