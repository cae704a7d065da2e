/// The building blocks diffusers composes its UNet and VAE from, as tensor names and shapes.
extension ExpectedTensors {
    /// ResnetBlock2D: two group-normed 3x3 convs, an optional time projection, a 1x1 shortcut when widths differ.
    mutating func resnet(_ prefix: String, in input: Int, out output: Int, timeChannels: Int?, scaleShift: Bool = false) {
        norm("\(prefix).norm1", channels: input)
        conv("\(prefix).conv1", in: input, out: output, kernel: 3)
        if let timeChannels { linear("\(prefix).time_emb_proj", in: timeChannels, out: scaleShift ? 2 * output : output) }
        norm("\(prefix).norm2", channels: output)
        conv("\(prefix).conv2", in: output, out: output, kernel: 3)
        if input != output { conv("\(prefix).conv_shortcut", in: input, out: output, kernel: 1) }
    }

    /// diffusers' Attention: q/k/v projections (bias optional), output projection with bias.
    mutating func attention(_ prefix: String, width: Int, contextWidth: Int, inner: Int, projectionBias: Bool) {
        linear("\(prefix).to_q", in: width, out: inner, bias: projectionBias)
        linear("\(prefix).to_k", in: contextWidth, out: inner, bias: projectionBias)
        linear("\(prefix).to_v", in: contextWidth, out: inner, bias: projectionBias)
        linear("\(prefix).to_out.0", in: inner, out: width)
    }

    /// Transformer2DModel over continuous input: group norm, projection in (1x1 conv or linear),
    /// BasicTransformerBlocks (self-attention, cross-attention, GEGLU feed-forward), projection out.
    mutating func transformer2D(_ prefix: String, channels: Int, heads: Int, layers: Int, crossAttentionDim: Int,
                                linearProjection: Bool, onlyCrossAttention: Bool) {
        let inner = heads * (channels / heads)
        norm("\(prefix).norm", channels: channels)
        if linearProjection {
            linear("\(prefix).proj_in", in: channels, out: inner)
        } else {
            conv("\(prefix).proj_in", in: channels, out: inner, kernel: 1)
        }
        for layer in 0..<layers {
            let block = "\(prefix).transformer_blocks.\(layer)"
            norm("\(block).norm1", channels: inner)
            attention("\(block).attn1", width: inner, contextWidth: onlyCrossAttention ? crossAttentionDim : inner,
                      inner: inner, projectionBias: false)
            norm("\(block).norm2", channels: inner)
            attention("\(block).attn2", width: inner, contextWidth: crossAttentionDim, inner: inner, projectionBias: false)
            norm("\(block).norm3", channels: inner)
            linear("\(block).ff.net.0.proj", in: inner, out: inner * 4 * 2)
            linear("\(block).ff.net.2", in: inner * 4, out: inner)
        }
        if linearProjection {
            linear("\(prefix).proj_out", in: inner, out: channels)
        } else {
            conv("\(prefix).proj_out", in: inner, out: channels, kernel: 1)
        }
    }

    /// TimestepEmbedding: two linears, with an optional bias-free projection of a condition.
    mutating func timestepEmbedding(_ prefix: String, in input: Int, out output: Int, conditionDim: Int? = nil) {
        linear("\(prefix).linear_1", in: input, out: output)
        if let conditionDim { linear("\(prefix).cond_proj", in: conditionDim, out: input, bias: false) }
        linear("\(prefix).linear_2", in: output, out: output)
    }

    /// UNetMidBlock2D as the VAE uses it: resnet, single-head self-attention with a group norm, resnet.
    mutating func vaeMidBlock(_ prefix: String, channels: Int, addAttention: Bool) {
        resnet("\(prefix).resnets.0", in: channels, out: channels, timeChannels: nil)
        if addAttention {
            norm("\(prefix).attentions.0.group_norm", channels: channels)
            attention("\(prefix).attentions.0", width: channels, contextWidth: channels, inner: channels, projectionBias: true)
        }
        resnet("\(prefix).resnets.1", in: channels, out: channels, timeChannels: nil)
    }
}
