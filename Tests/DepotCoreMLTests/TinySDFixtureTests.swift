import DepotCoreML
import DepotFormats
import DepotTestSupport
import Foundation
import Testing

/// The real Core ML packages of tiny-sd1 written by Apple's converter (Tests/Fixtures/coreml-tiny-sd1/README.md).
@Suite struct TinySDFixtureTests {
    static let packages = TestEnvironment.fixture("coreml-tiny-sd1/split_einsum/packages")

    static func package(_ role: String) -> URL {
        packages.appendingPathComponent("Stable_Diffusion_version_tiny-sd1_\(role).mlpackage")
    }

    /// Inputs and outputs as the fixture's README lists them (name: shape).
    static let io: [(role: String, inputs: [String: [Int]], outputs: [String: [Int]])] = [
        ("text_encoder", ["input_ids": [1, 77]], ["last_hidden_state": [1, 77, 32], "pooled_outputs": [1, 32]]),
        ("unet", ["sample": [2, 4, 32, 32], "timestep": [2], "encoder_hidden_states": [2, 32, 1, 77]], ["noise_pred": [2, 4, 32, 32]]),
        ("vae_decoder", ["z": [1, 4, 32, 32]], ["image": [1, 3, 64, 64]]),
        ("vae_encoder", ["x": [1, 3, 256, 256]], ["latent": [1, 8, 128, 128]]),
    ]

    @Test(arguments: io.map(\.role))
    func readsPackageLikeTheReadme(role: String) throws {
        let expected = try #require(Self.io.first { $0.role == role })
        let model = try CoreMLModel(at: Self.package(role))
        #expect(model.format == .package)
        #expect(model.specificationVersion == 7)
        #expect(model.program.version == "1")
        #expect(model.program.functions.map(\.name) == ["main"])
        #expect(Dictionary(uniqueKeysWithValues: model.inputs.map { ($0.name, $0.shape) }) == expected.inputs)
        #expect(Dictionary(uniqueKeysWithValues: model.outputs.map { ($0.name, $0.shape) }) == expected.outputs)
        #expect(model.inputs.allSatisfy { $0.kind == "MultiArray" && $0.dataType != nil })
        // The program's main function agrees with the description.
        let main = try #require(model.program.functions.first)
        #expect(Set(main.inputs.map(\.name)) == Set(expected.inputs.keys))
        #expect(Set(main.outputs.map(\.name)) == Set(expected.outputs.keys))
        #expect(model.userDefinedMetadata["com.github.apple.coremltools.version"] == "9.0")

        // Every weight has a dtype and a dense shape; the blob count equals the records in weight.bin.
        let weights = model.weights()
        #expect(!weights.isEmpty)
        for weight in weights {
            #expect(["fp16", "fp32"].contains(weight.dtype), "\(weight.name) dtype \(weight.dtype)")
            #expect(!weight.shape.isEmpty && weight.shape.allSatisfy { $0 > 0 }, "\(weight.name) shape \(weight.shape)")
            #expect(weight.bytes == weight.elementCount * (weight.dtype == "fp16" ? 2 : 4), "\(weight.name) bytes")
        }
        let file = try #require(model.weightFiles["weights/weight.bin"])
        let records = try #require(model.blobRecords["weights/weight.bin"])
        #expect(model.blobs.count == file.declaredCount)
        #expect(records.count == file.declaredCount)
        #expect(Set(model.blobs.map(\.reference.offset)) == Set(records.map(\.offset)))
        #expect(weights.map(\.bytes).reduce(0, +) <= file.size)
    }

    @Test func knownWeightsHaveTheirShapes() throws {
        let textEncoder = try CoreMLModel(at: Self.package("text_encoder")).weights()
        // tiny-sd1's CLIP: vocabulary 49408, width 32.
        #expect(textEncoder.contains { $0.shape == [49408, 32] })
        let unet = try CoreMLModel(at: Self.package("unet"))
        #expect(unet.blobs.count == 364)
        #expect(unet.attentionImplementation == .splitEinsum)
        #expect((unet.operationHistogram["einsum"] ?? 0) > 0)
    }

    @Test func locatorFindsTheFourPackages() {
        let found = CoreMLModelLocator.models(under: TestEnvironment.fixture("coreml-tiny-sd1"))
        #expect(found.map(\.lastPathComponent) == Self.io.map { "Stable_Diffusion_version_tiny-sd1_\($0.role).mlpackage" }.sorted())
    }

    @Test func folderIsConsistent() throws {
        let folder = try CoreMLResourceFolder(at: Self.packages)
        #expect(Set(folder.models.keys) == [.textEncoder, .unet, .vaeDecoder, .vaeEncoder])
        #expect(folder.problems.isEmpty, "\(folder.problems)")
        #expect(folder.architecture == .stableDiffusion)
        #expect(folder.attentionImplementation == .splitEinsum)
        #expect(folder.imageSize == [64, 64])
        let width = try #require(folder.findings.first { $0.check == "text-width" })
        #expect(width.outcome == .holds)
        #expect(width.message.contains("width 32 = Stable_Diffusion_version_tiny-sd1_unet encoder_hidden_states channels 32"))
        let latent = try #require(folder.findings.first { $0.check == "latent-size" })
        #expect(latent.message.contains("[4, 32, 32] = VAEDecoder z [4, 32, 32]"))
        let attention = try #require(folder.findings.first { $0.check == "attention" })
        #expect(attention.outcome == .holds && attention.message.hasPrefix("split_einsum attention"))
    }
}
