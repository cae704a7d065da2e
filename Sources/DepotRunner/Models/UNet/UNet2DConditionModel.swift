import Foundation

/// diffusers' UNet2DConditionModel for SD 1.x/2.x: predicts noise (or v) for a latent sample at a
/// timestep, conditioned on text encoder states.
public final class UNet2DConditionModel: Sendable {
    public let config: UNetConfig
    private let timeLinear1: LinearLayer, timeLinear2: LinearLayer
    private let convIn: Conv2dLayer
    private let downBlocks: [UNetDownBlock]
    private let mid: UNetMidBlock
    private let upBlocks: [UNetUpBlock]
    private let normOut: GroupNormLayer
    private let convOut: Conv2dLayer

    /// `directory` is the unet/ folder (config.json + diffusion_pytorch_model.safetensors).
    public convenience init(directory: URL) throws {
        try self.init(config: ConfigFile(url: directory.appendingPathComponent("config.json")),
                      weights: Weights(directory: directory, baseName: "diffusion_pytorch_model"))
    }

    /// The tensors (names, shapes) a checkpoint needs for the given config.json.
    public static func expectedWeights(config: URL) throws -> [WeightManifest.Entry] {
        let manifest = WeightManifest()
        _ = try UNet2DConditionModel(config: ConfigFile(url: config), weights: Weights(manifest: manifest))
        return manifest.entries
    }

    init(config file: ConfigFile, weights: Weights) throws(ModelLoadError) {
        let config = try UNetConfig(file)
        self.config = config
        let channels = config.blockOutChannels
        let blocks = channels.count
        timeLinear1 = try LinearLayer(weights, "time_embedding.linear_1", in: channels[0], out: config.timeEmbeddingDim)
        timeLinear2 = try LinearLayer(weights, "time_embedding.linear_2", in: config.timeEmbeddingDim, out: config.timeEmbeddingDim)
        convIn = try Conv2dLayer(weights, "conv_in", in: config.inChannels, out: channels[0], kernel: config.convInKernel)
        let settings = UNetBlockSettings(timeChannels: config.timeEmbeddingDim, groups: config.normNumGroups, eps: config.normEps,
                                         resnetScale: config.resnetOutScaleFactor, linearProjection: config.useLinearProjection)

        var down: [UNetDownBlock] = []
        for index in 0..<blocks {
            down.append(try UNetDownBlock(
                weights.scoped("down_blocks.\(index)"), type: config.downBlockTypes[index],
                in: index == 0 ? channels[0] : channels[index - 1], out: channels[index], layers: config.layersPerBlock[index],
                heads: config.attentionHeads[index], transformerLayers: config.transformerLayersPerBlock[index],
                contextWidth: config.crossAttentionDim[index], addDownsample: index < blocks - 1,
                downsamplePadding: config.downsamplePadding, settings: settings))
        }
        downBlocks = down
        mid = try UNetMidBlock(weights.scoped("mid_block"), channels: channels[blocks - 1], heads: config.attentionHeads[blocks - 1],
                               transformerLayers: config.transformerLayersPerBlock[blocks - 1],
                               contextWidth: config.crossAttentionDim[blocks - 1], scale: config.midBlockScaleFactor, settings: settings)

        let reversedChannels = Array(channels.reversed())
        var up: [UNetUpBlock] = []
        var output = reversedChannels[0]
        for index in 0..<blocks {
            let previous = output
            output = reversedChannels[index]
            let input = reversedChannels[min(index + 1, blocks - 1)]
            let source = blocks - 1 - index
            up.append(try UNetUpBlock(
                weights.scoped("up_blocks.\(index)"), type: config.upBlockTypes[index], in: input, previous: previous,
                out: output, layers: config.layersPerBlock[source] + 1, heads: config.attentionHeads[source],
                transformerLayers: config.transformerLayersPerBlock[source], contextWidth: config.crossAttentionDim[source],
                addUpsample: index < blocks - 1, settings: settings))
        }
        upBlocks = up
        normOut = try GroupNormLayer(weights, "conv_norm_out", groups: config.normNumGroups, channels: channels[0], eps: config.normEps)
        convOut = try Conv2dLayer(weights, "conv_out", in: channels[0], out: config.outChannels, kernel: config.convOutKernel)
    }

    /// Model output [B, out_channels, H, W] for `sample` [B, in_channels, H, W] at one timestep,
    /// with `encoderHiddenStates` [B, N, cross_attention_dim].
    public func predict(sample: Tensor, timestep: Float, encoderHiddenStates: Tensor) throws -> Tensor {
        guard sample.shape.count == 4, sample.shape[1] == config.inChannels else {
            throw ModelLoadError.invalidInput(model: "UNet2DConditionModel", reason: "sample must be [B, \(config.inChannels), H, W], got \(sample.shape)")
        }
        let batch = sample.shape[0]
        let contextWidths = Set(config.crossAttentionDim)
        guard encoderHiddenStates.shape.count == 3, encoderHiddenStates.shape[0] == batch,
              contextWidths.count == 1, contextWidths.first == encoderHiddenStates.shape[2] else {
            throw ModelLoadError.invalidInput(model: "UNet2DConditionModel",
                reason: "encoder hidden states must be [\(batch), N, \(config.crossAttentionDim[0])] (the text encoder's hidden size must equal cross_attention_dim), got \(encoderHiddenStates.shape)")
        }
        let context = encoderHiddenStates
        let features = sinusoidalTimestepFeatures(Array(repeating: timestep, count: batch), dimension: config.blockOutChannels[0],
                                                  flipSinToCos: config.flipSinToCos, freqShift: config.freqShift)
        let time = try timeLinear2(try timeLinear1(features).applying(.silu))
        let activatedTime = time.applying(.silu)

        let input = config.centerInputSample ? Tensor(shape: sample.shape, data: sample.data.map { 2 * $0 - 1 }) : sample
        var h = try convIn(input)
        var skips = [h]
        for block in downBlocks {
            let (output, states) = try block(h, activatedTime: activatedTime, context: context)
            h = output
            skips += states
        }
        h = try mid(h, activatedTime: activatedTime, context: context)

        // Sizes that do not halve evenly need the upsamplers to match the skip states exactly.
        let overallFactor = 1 << (config.blockOutChannels.count - 1)
        let needsExplicitSize = sample.shape[2] % overallFactor != 0 || sample.shape[3] % overallFactor != 0
        for block in upBlocks {
            let blockSkips = Array(skips.suffix(block.skipCount))
            skips.removeLast(block.skipCount)
            let size = needsExplicitSize ? skips.last.map { (height: $0.shape[2], width: $0.shape[3]) } : nil
            h = try block(h, skips: blockSkips, activatedTime: activatedTime, context: context, upsampleSize: size)
        }
        return try convOut(try normOut(h, then: .silu))
    }
}
