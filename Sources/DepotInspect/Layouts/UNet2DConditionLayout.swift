/// The tensors of diffusers' UNet2DConditionModel for a config.json (SD 1.x, 2.x, XL base and
/// refiner, inpainting, LCM): the per-block settings and their defaults as diffusers reads them.
public enum UNet2DConditionLayout {
    struct Settings {
        var channels: [Int]
        var layers: [Int]
        var heads: [Int]
        var crossAttention: [Int]
        var transformerLayers: [Int]
        var onlyCrossAttention: [Bool]
        var linearProjection: Bool
        var timeChannels: Int
        var scaleShift: Bool
    }

    public static func expectedTensors(_ config: ComponentConfig) throws(ConfigError) -> ExpectedTensors {
        try rejectUnsupported(config)
        let downTypes = try config.strings("down_block_types", default: ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"])
        let upTypes = try config.strings("up_block_types", default: ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"])
        let blocks = downTypes.count
        let channels = try config.ints("block_out_channels", default: [320, 640, 1280, 1280])
        guard blocks > 0, upTypes.count == blocks, channels.count == blocks, channels.allSatisfy({ $0 > 0 }) else {
            throw .invalid(file: config.file, key: "block_out_channels",
                           reason: "needs one positive entry per down block and as many up blocks (\(channels.count) channels, \(blocks) down, \(upTypes.count) up)")
        }
        for type in downTypes where !["DownBlock2D", "CrossAttnDownBlock2D"].contains(type) {
            throw .unsupported(file: config.file, key: "down_block_types", value: type)
        }
        for type in upTypes where !["UpBlock2D", "CrossAttnUpBlock2D"].contains(type) {
            throw .unsupported(file: config.file, key: "up_block_types", value: type)
        }
        // diffusers names the head count attention_head_dim in these configs (a historic mix-up).
        let headsKey = config.has("num_attention_heads") ? "num_attention_heads" : "attention_head_dim"
        let base = channels[0]
        let timeEmbedding = try config.optionalInt("time_embedding_dim") ?? base * 4
        let settings = Settings(
            channels: channels,
            layers: try config.intPerBlock("layers_per_block", default: 2, blocks: blocks),
            heads: try config.intPerBlock(headsKey, default: 8, blocks: blocks),
            crossAttention: try config.intPerBlock("cross_attention_dim", default: 1280, blocks: blocks),
            transformerLayers: try config.intPerBlock("transformer_layers_per_block", default: 1, blocks: blocks),
            onlyCrossAttention: try config.boolPerBlock("only_cross_attention", default: false, blocks: blocks),
            linearProjection: try config.bool("use_linear_projection", default: false),
            timeChannels: try config.bool("class_embeddings_concat", default: false) ? 2 * timeEmbedding : timeEmbedding,
            scaleShift: try config.string("resnet_time_scale_shift") == "scale_shift")
        if let bad = settings.heads.first(where: { $0 <= 0 }) {
            throw .invalid(file: config.file, key: headsKey, reason: "holds \(bad); head counts must be positive")
        }

        var tensors = ExpectedTensors()
        let inChannels = try config.int("in_channels", default: 4)
        tensors.conv("conv_in", in: inChannels, out: base, kernel: try config.int("conv_in_kernel", default: 3))
        tensors.timestepEmbedding("time_embedding", in: base, out: timeEmbedding, conditionDim: try config.optionalInt("time_cond_proj_dim"))
        try conditioningEmbeddings(config, base: base, timeEmbedding: timeEmbedding, crossAttention: settings.crossAttention[0], into: &tensors)
        downBlocks(downTypes, settings, into: &tensors)
        try midBlock(config, settings, into: &tensors)
        upBlocks(upTypes, settings, into: &tensors)
        if !config.isExplicitNull("norm_num_groups") {
            tensors.norm("conv_norm_out", channels: base)
        }
        tensors.conv("conv_out", in: base, out: try config.int("out_channels", default: 4), kernel: try config.int("conv_out_kernel", default: 3))
        return tensors
    }

    private static func rejectUnsupported(_ config: ComponentConfig) throws(ConfigError) {
        try config.require("time_embedding_type", in: [nil, "positional"])
        try config.require("mid_block_type", in: [nil, "UNetMidBlock2DCrossAttn"])
        try config.require("addition_embed_type", in: [nil, "text_time"])
        try config.require("class_embed_type", in: [nil, "timestep", "identity", "projection", "simple_projection"])
        try config.require("encoder_hid_dim_type", in: [nil, "text_proj"])
        try config.require("attention_type", in: [nil, "default"])
        try config.require("dual_cross_attention", in: [nil, "false"])
        try config.require("resnet_time_scale_shift", in: [nil, "default", "scale_shift"])
    }

    /// Class, addition (SDXL's text_time) and encoder-hidden-state projections.
    private static func conditioningEmbeddings(_ config: ComponentConfig, base: Int, timeEmbedding: Int, crossAttention: Int,
                                               into tensors: inout ExpectedTensors) throws(ConfigError) {
        let projectionInput = try config.optionalInt("projection_class_embeddings_input_dim")
        func projectionDim(_ key: String) throws(ConfigError) -> Int {
            guard let projectionInput else {
                throw .invalid(file: config.file, key: "projection_class_embeddings_input_dim", reason: "is required when \(key) is set")
            }
            return projectionInput
        }
        switch try config.string("class_embed_type") {
        case nil:
            if let classes = try config.optionalInt("num_class_embeds") { tensors.add("class_embedding.weight", [classes, timeEmbedding]) }
        case "timestep": tensors.timestepEmbedding("class_embedding", in: base, out: timeEmbedding)
        case "projection": tensors.timestepEmbedding("class_embedding", in: try projectionDim("class_embed_type"), out: timeEmbedding)
        case "simple_projection": tensors.linear("class_embedding", in: try projectionDim("class_embed_type"), out: timeEmbedding)
        default: break
        }
        if try config.string("addition_embed_type") == "text_time" {
            tensors.timestepEmbedding("add_embedding", in: try projectionDim("addition_embed_type"), out: timeEmbedding)
        }
        if let hidden = try config.optionalInt("encoder_hid_dim") {
            tensors.linear("encoder_hid_proj", in: hidden, out: crossAttention)
        }
    }

    private static func downBlocks(_ types: [String], _ s: Settings, into tensors: inout ExpectedTensors) {
        var output = s.channels[0]
        for (index, type) in types.enumerated() {
            let input = output
            output = s.channels[index]
            let prefix = "down_blocks.\(index)"
            for layer in 0..<s.layers[index] {
                tensors.resnet("\(prefix).resnets.\(layer)", in: layer == 0 ? input : output, out: output,
                               timeChannels: s.timeChannels, scaleShift: s.scaleShift)
                if type == "CrossAttnDownBlock2D" {
                    tensors.transformer2D("\(prefix).attentions.\(layer)", channels: output, heads: s.heads[index],
                                          layers: s.transformerLayers[index], crossAttentionDim: s.crossAttention[index],
                                          linearProjection: s.linearProjection, onlyCrossAttention: s.onlyCrossAttention[index])
                }
            }
            if index < types.count - 1 {
                tensors.conv("\(prefix).downsamplers.0.conv", in: output, out: output, kernel: 3)
            }
        }
    }

    private static func midBlock(_ config: ComponentConfig, _ s: Settings, into tensors: inout ExpectedTensors) throws(ConfigError) {
        // An explicit null mid_block_type removes the mid block (absent means the default one).
        if config.isExplicitNull("mid_block_type") { return }
        let last = s.channels.count - 1
        let width = s.channels[last]
        tensors.resnet("mid_block.resnets.0", in: width, out: width, timeChannels: s.timeChannels, scaleShift: s.scaleShift)
        tensors.transformer2D("mid_block.attentions.0", channels: width, heads: s.heads[last], layers: s.transformerLayers[last],
                              crossAttentionDim: s.crossAttention[last], linearProjection: s.linearProjection, onlyCrossAttention: false)
        tensors.resnet("mid_block.resnets.1", in: width, out: width, timeChannels: s.timeChannels, scaleShift: s.scaleShift)
    }

    private static func upBlocks(_ types: [String], _ s: Settings, into tensors: inout ExpectedTensors) {
        let channels = Array(s.channels.reversed())
        let layers = Array(s.layers.reversed()), heads = Array(s.heads.reversed())
        let cross = Array(s.crossAttention.reversed()), transformerLayers = Array(s.transformerLayers.reversed())
        let onlyCross = Array(s.onlyCrossAttention.reversed())
        var output = channels[0]
        for (index, type) in types.enumerated() {
            let previous = output
            output = channels[index]
            let skipInput = channels[min(index + 1, channels.count - 1)]
            let prefix = "up_blocks.\(index)"
            let count = layers[index] + 1
            for layer in 0..<count {
                let skip = layer == count - 1 ? skipInput : output
                let input = layer == 0 ? previous : output
                tensors.resnet("\(prefix).resnets.\(layer)", in: input + skip, out: output, timeChannels: s.timeChannels, scaleShift: s.scaleShift)
                if type == "CrossAttnUpBlock2D" {
                    tensors.transformer2D("\(prefix).attentions.\(layer)", channels: output, heads: heads[index],
                                          layers: transformerLayers[index], crossAttentionDim: cross[index],
                                          linearProjection: s.linearProjection, onlyCrossAttention: onlyCross[index])
                }
            }
            if index < types.count - 1 {
                tensors.conv("\(prefix).upsamplers.0.conv", in: output, out: output, kernel: 3)
            }
        }
    }
}
