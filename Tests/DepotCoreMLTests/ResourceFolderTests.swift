import DepotCoreML
import DepotTestSupport
import Foundation
import Testing

/// Resource folders in Apple's compiled layout, written by Tests/Support/coreml/make_coreml_repo.py
/// (hand-made .mlmodelc folders with the real models' input and output names and shapes).
@Suite struct ResourceFolderTests {
    /// Runs the generator and returns `<out>/<variant>/compiled`.
    static func makeRepo(_ folder: TemporaryDirectory, _ name: String, _ arguments: [String], variant: String = "split_einsum") throws -> URL {
        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/coreml/make_coreml_repo.py")
        let out = folder.path(name)
        try runChecked(try TestEnvironment.python(), [script.path, out.path, "--variants", "original,split_einsum"] + arguments)
        return out.appendingPathComponent(variant).appendingPathComponent("compiled")
    }

    @Test func stableDiffusionFolderHoldsTogether() throws {
        let folder = try TemporaryDirectory("coreml-folder")
        for variant in ["split_einsum", "original"] {
            let compiled = try Self.makeRepo(folder, "sd-\(variant)", ["--text-dim", "768"], variant: variant)
            let resources = try CoreMLResourceFolder(at: compiled)
            #expect(Set(resources.models.keys) == [.textEncoder, .unet, .vaeDecoder, .vaeEncoder])
            #expect(resources.problems.isEmpty, "\(resources.problems)")
            #expect(resources.architecture == .stableDiffusion)
            #expect(resources.attentionImplementation == (variant == "original" ? .original : .splitEinsum))
            let width = try #require(resources.findings.first { $0.check == "text-width" })
            #expect(width.message == "TextEncoder last_hidden_state width 768 = Unet encoder_hidden_states channels 768")
        }
    }

    @Test func recognisesSDXLAndTheRefiner() throws {
        let folder = try TemporaryDirectory("coreml-sdxl")
        let base = try CoreMLResourceFolder(at: try Self.makeRepo(folder, "base", ["--kind", "sdxl"]))
        #expect(base.architecture == .stableDiffusionXL)
        #expect(base.problems.isEmpty, "\(base.problems)")
        let width = try #require(base.findings.first { $0.check == "text-width" })
        #expect(width.message.contains("width 768 + TextEncoder2 hidden_embeds width 1280 = Unet encoder_hidden_states channels 2048"))

        let refiner = try CoreMLResourceFolder(at: try Self.makeRepo(folder, "refiner", ["--kind", "sdxl-refiner"]))
        #expect(refiner.architecture == .stableDiffusionXLRefiner)
        #expect(refiner.problems.isEmpty, "\(refiner.problems)")
    }

    @Test func chunkPairsMustBeComplete() throws {
        let folder = try TemporaryDirectory("coreml-chunks")
        let compiled = try Self.makeRepo(folder, "chunked", ["--chunked"])
        let complete = try CoreMLResourceFolder(at: compiled)
        #expect(complete.findings.contains(ConsistencyFinding(.holds, check: "chunks", "UnetChunk1 and UnetChunk2 are both present")))
        #expect(complete.problems.isEmpty, "\(complete.problems)")

        try FileManager.default.removeItem(at: compiled.appendingPathComponent("UnetChunk2.mlmodelc"))
        let broken = try CoreMLResourceFolder(at: compiled)
        #expect(broken.problems == [ConsistencyFinding(.problem, check: "chunks", "UnetChunk1 is present but UnetChunk2 is missing")])
    }

    @Test func mismatchedModelsAreFound() throws {
        let folder = try TemporaryDirectory("coreml-mismatch")
        let sd = try Self.makeRepo(folder, "sd768", ["--text-dim", "768"])
        let other = try Self.makeRepo(folder, "sd1024", ["--text-dim", "1024"])
        let sdxl = try Self.makeRepo(folder, "sdxl", ["--kind", "sdxl"])
        let manager = FileManager.default
        try manager.removeItem(at: sd.appendingPathComponent("TextEncoder.mlmodelc"))
        try manager.copyItem(at: other.appendingPathComponent("TextEncoder.mlmodelc"), to: sd.appendingPathComponent("TextEncoder.mlmodelc"))
        try manager.removeItem(at: sd.appendingPathComponent("VAEDecoder.mlmodelc"))
        try manager.copyItem(at: sdxl.appendingPathComponent("VAEDecoder.mlmodelc"), to: sd.appendingPathComponent("VAEDecoder.mlmodelc"))

        let problems = try CoreMLResourceFolder(at: sd).problems
        #expect(problems.map(\.check) == ["text-width", "latent-size"])
        #expect(problems.first?.message.hasPrefix("TextEncoder last_hidden_state width 1024 (1024) differs from Unet encoder_hidden_states channels 768") == true)
        #expect(problems.last?.message.hasPrefix("Unet latent (channels, H, W) [4, 64, 64] differs from VAEDecoder z [4, 128, 128]") == true)
    }

    @Test func controlNetOutputsMatchTheControlledUnet() throws {
        let folder = try TemporaryDirectory("coreml-controlnet")
        let compiled = try Self.makeRepo(folder, "sd", ["--controlled-unet"])
        let controlNet = try Self.makeRepo(folder, "controlnet", ["--kind", "controlnet"])
        let target = compiled.appendingPathComponent("controlnet")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: controlNet.appendingPathComponent("ControlNet.mlmodelc"),
                                         to: target.appendingPathComponent("ControlNet.mlmodelc"))
        let resources = try CoreMLResourceFolder(at: compiled)
        #expect(resources.problems.isEmpty, "\(resources.problems)")
        #expect(resources.findings.contains(ConsistencyFinding(.holds, check: "controlnet",
                                                               "ControlNet's 13 outputs match ControlledUnet's additional_residual_* inputs")))

        // A ControlNet for SDXL-sized latents does not fit an SD 1.5 ControlledUnet.
        let sdxlControlled = try Self.makeRepo(folder, "sdxl", ["--kind", "sdxl", "--controlled-unet"])
        try FileManager.default.removeItem(at: compiled.appendingPathComponent("ControlledUnet.mlmodelc"))
        try FileManager.default.copyItem(at: sdxlControlled.appendingPathComponent("ControlledUnet.mlmodelc"),
                                         to: compiled.appendingPathComponent("ControlledUnet.mlmodelc"))
        let mismatch = try CoreMLResourceFolder(at: compiled).problems.first { $0.check == "controlnet" }
        #expect(mismatch?.message == "ControlNet down_block_res_samples_0 [2, 320, 64, 64] does not match ControlledUnet additional_residual_0 [2, 320, 128, 128]")
    }
}
