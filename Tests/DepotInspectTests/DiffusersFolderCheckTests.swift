import DepotTestSupport
import Foundation
import Testing
@testable import DepotInspect

@Suite struct DiffusersFolderCheckTests {
    @Test(arguments: ["tiny-sd1", "tiny-sd2"])
    func tinyFixturesPassEveryCheck(_ name: String) throws {
        let check = DiffusersFolderCheck(root: TestEnvironment.fixture(name))
        #expect(check.findings.isEmpty, "\(check.findings.map(\.description))")
        #expect(check.index?.pipelineClass == "StableDiffusionPipeline")
        #expect(Set(check.components.map(\.name)) == ["unet", "vae", "text_encoder"])
        let unet = try #require(check.component("unet")?.primary)
        #expect(unet.tensors.count > 100)
    }
}

/// Copies of tiny-sd1 damaged in one way each: the check names the file, the tensor or key, what it expected and what it found.
@Suite struct DamagedModelTests {
    private func errors(_ copy: ModelCopy) -> [Finding] { DiffusersFolderCheck(root: copy.root).findings.errors }

    @Test func changedShapeIsReportedWithBothShapes() throws {
        let copy = try ModelCopy("tiny-sd1")
        try copy.rewrite("unet/diffusion_pytorch_model.safetensors") { entries in
            let index = entries.firstIndex { $0.name == "conv_in.weight" }!
            entries[index] = .init(name: "conv_in.weight", dtype: entries[index].dtype, shape: [32, 5, 3, 3])
        }
        let found = errors(copy)
        #expect(found == [Finding(file: "unet/diffusion_pytorch_model.safetensors", subject: "conv_in.weight",
                                  expected: "shape [32, 4, 3, 3]", found: "shape [32, 5, 3, 3]",
                                  message: "the tensor's shape does not match config.json")])
        #expect(found.first?.description == "unet/diffusion_pytorch_model.safetensors [conv_in.weight]: the tensor's shape does not match config.json; expected shape [32, 4, 3, 3], found shape [32, 5, 3, 3]")
    }

    @Test func missingTensorIsReported() throws {
        let copy = try ModelCopy("tiny-sd1")
        try copy.rewrite("vae/diffusion_pytorch_model.safetensors") { $0.removeAll { $0.name == "decoder.conv_out.bias" } }
        #expect(errors(copy) == [Finding(file: "vae/diffusion_pytorch_model.safetensors", subject: "decoder.conv_out.bias",
                                         expected: "shape [3]", found: "no such tensor",
                                         message: "a tensor the config needs is missing; the checkpoint is incomplete or does not match config.json")])
    }

    @Test func unknownTensorIsReported() throws {
        let copy = try ModelCopy("tiny-sd1")
        try copy.rewrite("text_encoder/model.safetensors") { $0.append(.init(name: "extra.weight", dtype: .f16, shape: [2])) }
        let found = errors(copy)
        #expect(found.count == 1 && found.first?.subject == "extra.weight" && found.first?.found == "shape [2]")
    }

    @Test func wrongCrossAttentionDimIsReported() throws {
        let copy = try ModelCopy("tiny-sd1")
        try copy.setJSON("unet/config.json", key: "cross_attention_dim", to: 48)
        let found = errors(copy)
        let cross = try #require(found.first { $0.subject == "cross_attention_dim" })
        #expect(cross == Finding(file: "unet/config.json", subject: "cross_attention_dim", expected: "32 (text_encoder hidden_size 32)",
                                 found: "48", message: "the UNet's cross-attention width does not match the text encoder output"))
        // The UNet's attention weights were made for 32: each cross-attention key/value projection mismatches too.
        #expect(found.contains { $0.subject?.hasSuffix("attn2.to_k.weight") == true && $0.expected == "shape [64, 48]" })
    }

    @Test func unetInputMustMatchTheLatents() throws {
        let copy = try ModelCopy("tiny-sd1")
        try copy.setJSON("vae/config.json", key: "latent_channels", to: 8)
        let found = errors(copy)
        #expect(found.contains(Finding(file: "unet/config.json", subject: "in_channels", expected: "8 (the VAE's latent_channels, vae latent_channels 8)",
                                       found: "4", message: "the UNet's input does not match the VAE's latents for StableDiffusionPipeline")))
    }

    @Test func inpaintingPipelinesNeedNineInputChannels() throws {
        let copy = try ModelCopy("tiny-sd1")
        try copy.setJSON("model_index.json", key: "_class_name", to: "StableDiffusionInpaintPipeline")
        let found = errors(copy)
        #expect(found.map(\.subject) == ["in_channels"])
        #expect(found.first?.expected?.hasPrefix("9 (inpainting") == true)
    }

    @Test func missingComponentFolderIsReported() throws {
        let copy = try ModelCopy("tiny-sd1")
        try copy.remove("vae")
        #expect(errors(copy) == [Finding(file: "vae/", subject: "model_index.json", expected: "a folder for AutoencoderKL",
                                         found: "no such folder", message: "a component model_index.json names is missing; pull the model again")])
    }

    @Test func tokenizerLargerThanTheEmbeddingTableIsReported() throws {
        let copy = try ModelCopy("tiny-sd1")
        try copy.setJSON("text_encoder/config.json", key: "vocab_size", to: 1000)
        try copy.rewrite("text_encoder/model.safetensors") { entries in
            let index = entries.firstIndex { $0.name.hasSuffix("token_embedding.weight") }!
            entries[index] = .init(name: entries[index].name, dtype: .f16, shape: [1000, 32])
        }
        #expect(errors(copy) == [Finding(file: "tokenizer/vocab.json", subject: "text_encoder/config.json vocab_size",
                                         expected: "at most 1000 tokens with ids below 1000", found: "49408 tokens, largest id 49407",
                                         message: "the tokenizer's vocabulary does not fit the text encoder's embedding table")])
    }

    @Test func unparsableConfigIsReported() throws {
        let copy = try ModelCopy("tiny-sd1")
        try Data("{\"_class_name\": ".utf8).write(to: copy.url("vae/config.json"))
        #expect(errors(copy).map(\.file) == ["vae/config.json"])
    }

    @Test func truncatedWeightsAreReportedAsSafetensorsErrors() throws {
        let copy = try ModelCopy("tiny-sd1")
        let url = copy.url("unet/diffusion_pytorch_model.safetensors")
        let data = try Data(contentsOf: url)
        try data.prefix(data.count - 10).write(to: url)
        let found = errors(copy)
        #expect(found.count == 1 && found.first?.file == "unet/diffusion_pytorch_model.safetensors")
        #expect(found.first?.message.contains("truncated") == true && found.first?.message.contains("/tmp") == false)
    }
}
