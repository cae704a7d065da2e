/// The tensors of diffusers' AutoencoderKL for a config.json: encoder, decoder, quant convs.
public enum AutoencoderKLLayout {
    public static func expectedTensors(_ config: ComponentConfig) throws(ConfigError) -> ExpectedTensors {
        let channels = try config.ints("block_out_channels", default: [64])
        guard !channels.isEmpty, channels.allSatisfy({ $0 > 0 }) else {
            throw .invalid(file: config.file, key: "block_out_channels", reason: "must be a non-empty list of positive integers")
        }
        let downTypes = try config.strings("down_block_types", default: ["DownEncoderBlock2D"])
        let upTypes = try config.strings("up_block_types", default: ["UpDecoderBlock2D"])
        guard downTypes.count == channels.count, upTypes.count == channels.count else {
            throw .invalid(file: config.file, key: "down_block_types", reason: "and up_block_types need one entry per block_out_channels entry")
        }
        if let bad = downTypes.first(where: { $0 != "DownEncoderBlock2D" }) { throw .unsupported(file: config.file, key: "down_block_types", value: bad) }
        if let bad = upTypes.first(where: { $0 != "UpDecoderBlock2D" }) { throw .unsupported(file: config.file, key: "up_block_types", value: bad) }
        let inChannels = try config.int("in_channels", default: 3)
        let outChannels = try config.int("out_channels", default: 3)
        let latent = try config.int("latent_channels", default: 4)
        let layers = try config.int("layers_per_block", default: 1)
        let midAttention = try config.bool("mid_block_add_attention", default: true)

        var tensors = ExpectedTensors()
        tensors.conv("encoder.conv_in", in: inChannels, out: channels[0], kernel: 3)
        var output = channels[0]
        for (index, width) in channels.enumerated() {
            let input = output
            output = width
            for layer in 0..<layers {
                tensors.resnet("encoder.down_blocks.\(index).resnets.\(layer)", in: layer == 0 ? input : output, out: output, timeChannels: nil)
            }
            if index < channels.count - 1 {
                tensors.conv("encoder.down_blocks.\(index).downsamplers.0.conv", in: output, out: output, kernel: 3)
            }
        }
        let deepest = channels[channels.count - 1]
        tensors.vaeMidBlock("encoder.mid_block", channels: deepest, addAttention: midAttention)
        tensors.norm("encoder.conv_norm_out", channels: deepest)
        tensors.conv("encoder.conv_out", in: deepest, out: 2 * latent, kernel: 3)

        tensors.conv("decoder.conv_in", in: latent, out: deepest, kernel: 3)
        tensors.vaeMidBlock("decoder.mid_block", channels: deepest, addAttention: midAttention)
        let reversed = Array(channels.reversed())
        output = reversed[0]
        for (index, width) in reversed.enumerated() {
            let previous = output
            output = width
            for layer in 0...layers {
                tensors.resnet("decoder.up_blocks.\(index).resnets.\(layer)", in: layer == 0 ? previous : output, out: output, timeChannels: nil)
            }
            if index < reversed.count - 1 {
                tensors.conv("decoder.up_blocks.\(index).upsamplers.0.conv", in: output, out: output, kernel: 3)
            }
        }
        tensors.norm("decoder.conv_norm_out", channels: channels[0])
        tensors.conv("decoder.conv_out", in: channels[0], out: outChannels, kernel: 3)

        if try config.bool("use_quant_conv", default: true) {
            tensors.conv("quant_conv", in: 2 * latent, out: 2 * latent, kernel: 1)
        }
        if try config.bool("use_post_quant_conv", default: true) {
            tensors.conv("post_quant_conv", in: latent, out: latent, kernel: 1)
        }
        return tensors
    }

    /// Older exports name the VAE's attention projections after the original AttnBlock.
    public static let legacyAttentionNames = ["query": "to_q", "key": "to_k", "value": "to_v", "proj_attn": "to_out.0"]
}
