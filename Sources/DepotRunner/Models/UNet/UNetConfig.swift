/// diffusers' UNet2DConditionModel config, with its defaults for absent keys. Per-block values
/// are expanded to one entry per down block.
public struct UNetConfig: Sendable, Equatable {
    public enum DownBlockType: String, Sendable { case crossAttention = "CrossAttnDownBlock2D", plain = "DownBlock2D" }
    public enum UpBlockType: String, Sendable { case crossAttention = "CrossAttnUpBlock2D", plain = "UpBlock2D" }

    public let inChannels: Int
    public let outChannels: Int
    public let sampleSize: Int?
    public let centerInputSample: Bool
    public let flipSinToCos: Bool
    public let freqShift: Float
    public let downBlockTypes: [DownBlockType]
    public let upBlockTypes: [UpBlockType]
    public let blockOutChannels: [Int]
    public let layersPerBlock: [Int]
    public let downsamplePadding: Int
    public let midBlockScaleFactor: Float
    public let normNumGroups: Int
    public let normEps: Float
    public let crossAttentionDim: [Int]
    public let transformerLayersPerBlock: [Int]
    /// Heads per down block: num_attention_heads, else attention_head_dim (diffusers' legacy reading).
    public let attentionHeads: [Int]
    public let useLinearProjection: Bool
    public let upcastAttention: Bool
    public let resnetOutScaleFactor: Float
    public let convInKernel: Int
    public let convOutKernel: Int
    public let timeEmbeddingDim: Int

    init(_ config: ConfigFile) throws(ModelLoadError) {
        inChannels = try config.int("in_channels", default: 4)
        outChannels = try config.int("out_channels", default: 4)
        sampleSize = try config.optionalInt("sample_size")
        centerInputSample = try config.bool("center_input_sample", default: false)
        flipSinToCos = try config.bool("flip_sin_to_cos", default: true)
        freqShift = try config.float("freq_shift", default: 0)
        let downNames = try config.strings("down_block_types", default: ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"])
        let upNames = try config.strings("up_block_types", default: ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"])
        var downTypes: [DownBlockType] = []
        for name in downNames {
            guard let type = DownBlockType(rawValue: name) else { throw .unsupported(file: config.file, key: "down_block_types", value: name) }
            downTypes.append(type)
        }
        var upTypes: [UpBlockType] = []
        for name in upNames {
            guard let type = UpBlockType(rawValue: name) else { throw .unsupported(file: config.file, key: "up_block_types", value: name) }
            upTypes.append(type)
        }
        downBlockTypes = downTypes
        upBlockTypes = upTypes
        blockOutChannels = try config.ints("block_out_channels", default: [320, 640, 1280, 1280])
        let blocks = blockOutChannels.count
        guard downTypes.count == blocks, upTypes.count == blocks else {
            throw .invalidConfig(file: config.file, reason: "down_block_types, up_block_types and block_out_channels must have the same length")
        }
        layersPerBlock = try config.intPerBlock("layers_per_block", default: 2, blocks: blocks)
        downsamplePadding = try config.int("downsample_padding", default: 1)
        midBlockScaleFactor = try config.float("mid_block_scale_factor", default: 1)
        normNumGroups = try config.int("norm_num_groups", default: 32)
        normEps = try config.float("norm_eps", default: 1e-5)
        crossAttentionDim = try config.intPerBlock("cross_attention_dim", default: 1280, blocks: blocks)
        transformerLayersPerBlock = try config.intPerBlock("transformer_layers_per_block", default: 1, blocks: blocks)
        // diffusers refuses num_attention_heads for this class and reads attention_head_dim as heads.
        try config.require("num_attention_heads", in: [nil])
        attentionHeads = try config.intPerBlock("attention_head_dim", default: 8, blocks: blocks)
        useLinearProjection = try config.bool("use_linear_projection", default: false)
        upcastAttention = try config.bool("upcast_attention", default: false)
        resnetOutScaleFactor = try config.float("resnet_out_scale_factor", default: 1)
        convInKernel = try config.int("conv_in_kernel", default: 3)
        convOutKernel = try config.int("conv_out_kernel", default: 3)
        timeEmbeddingDim = try config.optionalInt("time_embedding_dim") ?? blockOutChannels[0] * 4

        try config.require("mid_block_type", in: [nil, "UNetMidBlock2DCrossAttn"])
        try config.require("act_fn", in: [nil, "silu"])
        try config.require("time_embedding_type", in: [nil, "positional"])
        try config.require("resnet_time_scale_shift", in: [nil, "default"])
        try config.require("attention_type", in: [nil, "default"])
        try config.require("only_cross_attention", in: [nil, "false"])
        try config.require("dual_cross_attention", in: [nil, "false"])
        try config.require("resnet_skip_time_act", in: [nil, "false"])
        try config.require("class_embeddings_concat", in: [nil, "false"])
        for key in ["class_embed_type", "num_class_embeds", "addition_embed_type", "encoder_hid_dim", "encoder_hid_dim_type",
                    "time_cond_proj_dim", "timestep_post_act", "time_embedding_act_fn", "cross_attention_norm",
                    "projection_class_embeddings_input_dim", "reverse_transformer_layers_per_block", "mid_block_only_cross_attention"] {
            try config.require(key, in: [nil])
        }
        for (index, channels) in blockOutChannels.enumerated() {
            guard channels % normNumGroups == 0 else {
                throw .invalidConfig(file: config.file, reason: "block_out_channels[\(index)] = \(channels) does not split into \(normNumGroups) groups")
            }
            guard channels % attentionHeads[index] == 0 else {
                throw .invalidConfig(file: config.file, reason: "block_out_channels[\(index)] = \(channels) does not split into \(attentionHeads[index]) heads")
            }
        }
    }
}
