import Foundation
import Testing
import DepotRunner
import DepotTestSupport

/// Config values the runner does not implement must fail at load with the key and value named.
@Suite struct ModelConfigTests {
    let temporary: TemporaryDirectory
    var directory: URL { temporary.url }

    init() throws { temporary = try TemporaryDirectory("depot-config") }

    /// A copy of a fixture component (weights linked) whose config.json has `edits` applied.
    func component(_ model: String, _ name: String, edits: [String: Any]) throws -> URL {
        let source = ModelFixtures.model(model).appendingPathComponent(name)
        let target = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path) where file != "config.json" {
            try FileManager.default.createSymbolicLink(at: target.appendingPathComponent(file), withDestinationURL: source.appendingPathComponent(file))
        }
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: source.appendingPathComponent("config.json"))) as! [String: Any]
        for (key, value) in edits { config[key] = value }
        try JSONSerialization.data(withJSONObject: config).write(to: target.appendingPathComponent("config.json"))
        return target
    }

    @Test(arguments: [
        ("resnet_time_scale_shift", #""scale_shift""#, "scale_shift"),
        ("class_embed_type", #""timestep""#, "timestep"),
        ("num_attention_heads", "8", "8"),
        ("act_fn", #""gelu""#, "gelu"),
        ("time_embedding_type", #""fourier""#, "fourier"),
    ])
    func unetRejectsUnsupportedValue(key: String, json: String, shown: String) throws {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let folder = try component("tiny-sd1", "unet", edits: [key: value])
        let expected = ModelLoadError.unsupported(file: folder.appendingPathComponent("config.json").path, key: key, value: shown)
        #expect(throws: expected) { try UNet2DConditionModel(directory: folder) }
        #expect(expected.description.contains(key) && expected.description.contains(shown))
    }

    @Test func unetRejectsUnknownBlockType() throws {
        let folder = try component("tiny-sd1", "unet", edits: ["down_block_types": ["DownBlock2D", "SimpleCrossAttnDownBlock2D"]])
        #expect(throws: ModelLoadError.unsupported(file: folder.appendingPathComponent("config.json").path,
                                                   key: "down_block_types", value: "SimpleCrossAttnDownBlock2D")) {
            try UNet2DConditionModel(directory: folder)
        }
    }

    @Test func clipRejectsUnknownActivation() throws {
        let folder = try component("tiny-sd2", "text_encoder", edits: ["hidden_act": "relu"])
        #expect(throws: ModelLoadError.unsupported(file: folder.appendingPathComponent("config.json").path, key: "hidden_act", value: "relu")) {
            try CLIPTextModel(directory: folder)
        }
    }

    @Test func configThatDisagreesWithWeightsNamesTheTensor() throws {
        let folder = try component("tiny-sd1", "vae", edits: ["latent_channels": 8])
        #expect { try AutoencoderKL(directory: folder) } throws: { error in
            guard case let .weightShape(_, tensor, expected, actual) = error as? ModelLoadError else { return false }
            return tensor == "post_quant_conv.weight" && expected == [8, 8, 1, 1] && actual == [4, 4, 1, 1]
        }
    }
}
