/// diffusers' AutoencoderKL config, with its defaults for absent keys.
public struct VAEConfig: Sendable, Equatable {
    public let inChannels: Int
    public let outChannels: Int
    public let latentChannels: Int
    public let blockOutChannels: [Int]
    public let layersPerBlock: Int
    public let normNumGroups: Int
    public let scalingFactor: Float
    public let shiftFactor: Float?
    public let sampleSize: Int?
    public let usesQuantConv: Bool
    public let usesPostQuantConv: Bool
    public let midBlockAddsAttention: Bool
    public let forceUpcast: Bool

    init(_ config: ConfigFile) throws(ModelLoadError) {
        inChannels = try config.int("in_channels", default: 3)
        outChannels = try config.int("out_channels", default: 3)
        latentChannels = try config.int("latent_channels", default: 4)
        blockOutChannels = try config.ints("block_out_channels", default: [64])
        layersPerBlock = try config.int("layers_per_block", default: 1)
        normNumGroups = try config.int("norm_num_groups", default: 32)
        scalingFactor = try config.float("scaling_factor", default: 0.18215)
        shiftFactor = config.has("shift_factor") ? try config.float("shift_factor", default: 0) : nil
        sampleSize = try config.optionalInt("sample_size")
        usesQuantConv = try config.bool("use_quant_conv", default: true)
        usesPostQuantConv = try config.bool("use_post_quant_conv", default: true)
        midBlockAddsAttention = try config.bool("mid_block_add_attention", default: true)
        forceUpcast = try config.bool("force_upcast", default: true)
        try config.require("act_fn", in: [nil, "silu"])
        let blocks = blockOutChannels.count
        let downTypes = try config.strings("down_block_types", default: ["DownEncoderBlock2D"])
        let upTypes = try config.strings("up_block_types", default: ["UpDecoderBlock2D"])
        guard downTypes.count == blocks, downTypes.allSatisfy({ $0 == "DownEncoderBlock2D" }) else { throw config.unsupported("down_block_types") }
        guard upTypes.count == blocks, upTypes.allSatisfy({ $0 == "UpDecoderBlock2D" }) else { throw config.unsupported("up_block_types") }
        try config.require("latents_mean", in: [nil])
        try config.require("latents_std", in: [nil])
        guard blockOutChannels.allSatisfy({ $0 % normNumGroups == 0 }) else {
            throw .invalidConfig(file: config.file, reason: "block_out_channels \(blockOutChannels) do not split into \(normNumGroups) groups")
        }
    }
}
