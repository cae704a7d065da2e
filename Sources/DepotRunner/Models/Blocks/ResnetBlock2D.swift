/// diffusers' ResnetBlock2D with the "default" time-embedding mode:
/// norm1 → act → conv1 (+ projected time embedding) → norm2 → act → conv2, plus a shortcut.
struct ResnetBlock2D: Sendable {
    let norm1: GroupNormLayer, conv1: Conv2dLayer
    let timeProjection: LinearLayer?
    let norm2: GroupNormLayer, conv2: Conv2dLayer
    let shortcut: Conv2dLayer?
    let activation: Activation
    let outputScale: Float

    init(_ weights: Weights, in inChannels: Int, out outChannels: Int, timeChannels: Int?, groups: Int, eps: Float,
         activation: Activation = .silu, outputScale: Float = 1) throws(ModelLoadError) {
        norm1 = try GroupNormLayer(weights, "norm1", groups: groups, channels: inChannels, eps: eps)
        conv1 = try Conv2dLayer(weights, "conv1", in: inChannels, out: outChannels, kernel: 3)
        timeProjection = try timeChannels.map { channels throws(ModelLoadError) in
            try LinearLayer(weights, "time_emb_proj", in: channels, out: outChannels)
        }
        norm2 = try GroupNormLayer(weights, "norm2", groups: groups, channels: outChannels, eps: eps)
        conv2 = try Conv2dLayer(weights, "conv2", in: outChannels, out: outChannels, kernel: 3)
        shortcut = inChannels == outChannels ? nil : try Conv2dLayer(weights, "conv_shortcut", in: inChannels, out: outChannels, kernel: 1)
        self.activation = activation
        self.outputScale = outputScale
    }

    /// `activatedTime` is act(time embedding) [B, T], shared by every block of a UNet pass.
    func callAsFunction(_ x: Tensor, activatedTime: Tensor?) throws -> Tensor {
        var h = try conv1(try norm1(x, then: activation))
        if let timeProjection, let activatedTime {
            h = h.addingPerChannel(try timeProjection(activatedTime))
        }
        h = try conv2(try norm2(h, then: activation))
        let residual = try shortcut?(x) ?? x
        let sum = residual + h
        return outputScale == 1 ? sum : sum.scaled(by: 1 / outputScale)
    }
}

/// Downsample2D with a convolution: stride 2; padding 0 means pad right/bottom by one first.
struct Downsample2D: Sendable {
    let conv: Conv2dLayer

    init(_ weights: Weights, channels: Int, padding: Int) throws(ModelLoadError) {
        let pad = padding == 0 ? Padding2D(top: 0, bottom: 1, left: 0, right: 1) : Padding2D(padding)
        conv = try Conv2dLayer(weights, "conv", in: channels, out: channels, kernel: 3, stride: 2, padding: pad)
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try conv(x) }
}

/// Upsample2D with a convolution: nearest 2x (or to an explicit size), then a 3x3 conv.
struct Upsample2D: Sendable {
    let conv: Conv2dLayer

    init(_ weights: Weights, channels: Int) throws(ModelLoadError) {
        conv = try Conv2dLayer(weights, "conv", in: channels, out: channels, kernel: 3)
    }

    func callAsFunction(_ x: Tensor, size: (height: Int, width: Int)? = nil) throws -> Tensor {
        try conv(x.upsampleNearest(height: size?.height, width: size?.width))
    }
}
