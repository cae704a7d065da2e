import DepotFormats
import Foundation
import Testing
import DepotRunner

/// A model built from a config must ask for exactly the tensors diffusers saved: a weight it never
/// reads means a layer is missing.
@Suite struct ModelWeightCoverageTests {
    func savedTensors(_ path: String) throws -> [String: [Int]] {
        let file = try SafetensorsFile(url: ModelFixtures.root.appendingPathComponent(path))
        return Dictionary(uniqueKeysWithValues: file.tensors.map { ($0.name, $0.shape) })
    }

    func expected(_ entries: [WeightManifest.Entry]) -> [String: [Int]] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.shape) })
    }

    @Test(arguments: ["tiny-sd1", "tiny-sd2"])
    func unetAndTextEncoderUseEverySavedTensor(model: String) throws {
        let unet = try UNet2DConditionModel.expectedWeights(config: ModelFixtures.model(model).appendingPathComponent("unet/config.json"))
        #expect(expected(unet) == (try savedTensors("\(model)/unet/diffusion_pytorch_model.safetensors")))
        let text = try CLIPTextModel.expectedWeights(config: ModelFixtures.model(model).appendingPathComponent("text_encoder/config.json"))
        #expect(expected(text) == (try savedTensors("\(model)/text_encoder/model.safetensors")))
    }

    @Test(arguments: ["tiny-sd1", "tiny-sd2"])
    func vaeUsesEverySavedTensor(model: String) throws {
        let vae = try AutoencoderKL.expectedWeights(config: ModelFixtures.model(model).appendingPathComponent("vae/config.json"))
        #expect(expected(vae) == (try savedTensors("\(model)/vae/diffusion_pytorch_model.safetensors")))
    }
}
