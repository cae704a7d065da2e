import DepotTestSupport
import Foundation
import Testing
@testable import DepotInspect

/// The layouts against the published sizes of the real models: tensor and parameter counts of
/// SD 1.5 (runwayml/stable-diffusion-v1-5) and SDXL base (stabilityai/stable-diffusion-xl-base-1.0).
@Suite struct ArchitectureLayoutTests {
    private func config(_ relative: String) throws -> ComponentConfig {
        try ComponentConfig(url: TestEnvironment.fixture("configs/sd15-architecture/\(relative)"), displayName: relative)
    }

    private func config(json: String, file: String) throws -> ComponentConfig {
        try ComponentConfig(data: Data(json.utf8), file: file)
    }

    @Test func stableDiffusion15Sizes() throws {
        let unet = try UNet2DConditionLayout.expectedTensors(config("unet/config.json"))
        #expect(unet.names.count == 686)
        #expect(unet.parameterCount == 859_520_964)
        #expect(unet.shapes["down_blocks.0.attentions.0.proj_in.weight"] == [320, 320, 1, 1])
        #expect(unet.shapes["up_blocks.3.resnets.0.conv1.weight"] == [320, 960, 3, 3])
        #expect(unet.shapes["up_blocks.3.resnets.2.conv1.weight"] == [320, 640, 3, 3])
        #expect(unet.shapes["mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight"] == [1280, 768])
        let vae = try AutoencoderKLLayout.expectedTensors(config("vae/config.json"))
        #expect(vae.names.count == 248)
        #expect(vae.parameterCount == 83_653_863)
        let text = try CLIPTextLayout.expectedTensors(config("text_encoder/config.json"), withProjection: false, prefix: "text_model.")
        #expect(text.names.count == 196)
        #expect(text.parameterCount == 123_060_480)
        #expect(text.optional["text_model.embeddings.position_ids"] == [1, 77])
    }

    static let sdxlUNet = """
    {"_class_name": "UNet2DConditionModel", "act_fn": "silu", "addition_embed_type": "text_time",
     "addition_embed_type_num_heads": 64, "addition_time_embed_dim": 256, "attention_head_dim": [5, 10, 20],
     "block_out_channels": [320, 640, 1280], "center_input_sample": false, "class_embed_type": null,
     "class_embeddings_concat": false, "conv_in_kernel": 3, "conv_out_kernel": 3, "cross_attention_dim": 2048,
     "cross_attention_norm": null, "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
     "downsample_padding": 1, "dual_cross_attention": false, "encoder_hid_dim": null, "encoder_hid_dim_type": null,
     "flip_sin_to_cos": true, "freq_shift": 0, "in_channels": 4, "layers_per_block": 2, "mid_block_only_cross_attention": null,
     "mid_block_scale_factor": 1, "mid_block_type": "UNetMidBlock2DCrossAttn", "norm_eps": 1e-05, "norm_num_groups": 32,
     "num_attention_heads": null, "num_class_embeds": null, "only_cross_attention": false, "out_channels": 4,
     "projection_class_embeddings_input_dim": 2816, "resnet_out_scale_factor": 1.0, "resnet_skip_time_act": false,
     "resnet_time_scale_shift": "default", "sample_size": 128, "time_cond_proj_dim": null, "time_embedding_act_fn": null,
     "time_embedding_dim": null, "time_embedding_type": "positional", "timestep_post_act": null,
     "transformer_layers_per_block": [1, 2, 10], "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
     "upcast_attention": null, "use_linear_projection": true}
    """

    @Test func sdxlBaseSizes() throws {
        let unet = try UNet2DConditionLayout.expectedTensors(config(json: Self.sdxlUNet, file: "unet/config.json"))
        #expect(unet.names.count == 1680)
        #expect(unet.parameterCount == 2_567_463_684)
        #expect(unet.shapes["add_embedding.linear_1.weight"] == [1280, 2816])
        #expect(unet.shapes["down_blocks.2.attentions.1.transformer_blocks.9.ff.net.0.proj.weight"] == [10240, 1280])
        #expect(unet.shapes["down_blocks.1.attentions.0.proj_in.weight"] == [640, 640])
    }

    @Test func sdxlTextEncoder2IsTheProjectedOpenCLIP() throws {
        let bigG = try config(json: """
            {"architectures": ["CLIPTextModelWithProjection"], "hidden_size": 1280, "intermediate_size": 5120,
             "num_attention_heads": 20, "num_hidden_layers": 32, "projection_dim": 1280, "vocab_size": 49408,
             "max_position_embeddings": 77, "hidden_act": "gelu"}
            """, file: "text_encoder_2/config.json")
        let tensors = try CLIPTextLayout.expectedTensors(bigG, withProjection: true, prefix: "text_model.")
        #expect(tensors.parameterCount == 694_659_840)
        #expect(tensors.shapes["text_projection.weight"] == [1280, 1280])
    }

    @Test func unsupportedBlockTypesAreNamed() throws {
        let config = try config(json: #"{"down_block_types": ["AttnDownBlock2D"], "up_block_types": ["AttnUpBlock2D"], "block_out_channels": [32]}"#,
                                file: "unet/config.json")
        #expect(throws: ConfigError.unsupported(file: "unet/config.json", key: "down_block_types", value: "AttnDownBlock2D")) {
            try UNet2DConditionLayout.expectedTensors(config)
        }
    }

    @Test func mismatchedPerBlockListsAreInvalid() throws {
        let config = try config(json: #"{"attention_head_dim": [5, 10], "block_out_channels": [320, 640, 1280], "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"], "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"]}"#,
                                file: "unet/config.json")
        #expect(throws: ConfigError.invalid(file: "unet/config.json", key: "attention_head_dim", reason: "has 2 entries for 3 blocks")) {
            try UNet2DConditionLayout.expectedTensors(config)
        }
    }
}
