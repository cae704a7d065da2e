import DepotBundle
import DepotTestSupport
import Foundation
import Testing

/// `depot bundle --check` on folders laid out as users make them, right and wrong.
@Suite struct ResourceFolderCheckerTests {
    /// A resource folder made by hand from a generated repo's compiled/ folder plus the CLIP files.
    private func resourceFolder(from repo: CoreMLRepo, variant: String = "split_einsum") throws -> TemporaryDirectory {
        let target = try TemporaryDirectory("resources")
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: repo.compiled(variant).path) {
            try fm.copyItem(at: repo.compiled(variant).appendingPathComponent(name), to: target.path(name))
        }
        for name in ["vocab.json", "merges.txt"] {
            try fm.copyItem(at: TestEnvironment.fixture("clip-vit-base-patch32/\(name)"), to: target.path(name))
        }
        return target
    }

    private func messages(_ report: BundleCheckReport) -> String { report.problems.map(\.message).joined(separator: "\n") }

    @Test func completeSDFolderPassesAndNamesTheCommand() throws {
        let folder = try resourceFolder(from: try CoreMLRepo())
        let report = ResourceFolderChecker().check(folder.url)
        #expect(report.ok, "\(messages(report))")
        #expect(report.problems.isEmpty)
        #expect(report.kind == .stableDiffusion)
        #expect(report.attention == .splitEinsum)
        #expect(report.models == ["TextEncoder.mlmodelc", "Unet.mlmodelc", "VAEDecoder.mlmodelc", "VAEEncoder.mlmodelc"])
        #expect(report.command == "swift run StableDiffusionSample \"a photo of a cat\" --resource-path \(folder.url.path) --compute-units cpuAndGPU")
    }

    @Test func originalVariantIsRecognised() throws {
        let folder = try resourceFolder(from: try CoreMLRepo(), variant: "original")
        let report = ResourceFolderChecker().check(folder.url)
        #expect(report.ok)
        #expect(report.attention == .original)
    }

    @Test func missingVocabSaysTheCLICrashes() throws {
        let folder = try resourceFolder(from: try CoreMLRepo())
        try FileManager.default.removeItem(at: folder.path("vocab.json"))
        let report = ResourceFolderChecker().check(folder.url)
        #expect(!report.ok)
        #expect(report.errors.map(\.file) == ["vocab.json"])
        #expect(messages(report).contains("vocab.json missing: the Swift CLI crashes without it"))
        #expect(report.command == nil)
    }

    @Test func halfAChunkPairIsNamed() throws {
        let folder = try resourceFolder(from: try CoreMLRepo(["--chunked"]))
        #expect(ResourceFolderChecker().check(folder.url).ok)
        try FileManager.default.removeItem(at: folder.path("UnetChunk2.mlmodelc"))
        let report = ResourceFolderChecker().check(folder.url)
        #expect(report.errors.map(\.file) == ["UnetChunk2.mlmodelc"])
        #expect(messages(report).contains("UnetChunk2.mlmodelc missing"))
    }

    @Test func mixedVariantsAmongTheDenoisersAreRefused() throws {
        let repo = try CoreMLRepo(["--chunked"])
        let folder = try resourceFolder(from: repo)
        // Apple converts the text encoders with their original attention in both variants: not a mix.
        try FileManager.default.removeItem(at: folder.path("TextEncoder.mlmodelc"))
        try FileManager.default.copyItem(at: repo.compiled("original").appendingPathComponent("TextEncoder.mlmodelc"), to: folder.path("TextEncoder.mlmodelc"))
        let textEncoderOnly = ResourceFolderChecker().check(folder.url)
        #expect(textEncoderOnly.ok, "\(messages(textEncoderOnly))")
        #expect(textEncoderOnly.attention == .splitEinsum)

        try FileManager.default.removeItem(at: folder.path("UnetChunk2.mlmodelc"))
        try FileManager.default.copyItem(at: repo.compiled("original").appendingPathComponent("UnetChunk2.mlmodelc"), to: folder.path("UnetChunk2.mlmodelc"))
        let report = ResourceFolderChecker().check(folder.url)
        #expect(!report.ok)
        #expect(report.attention == nil)
        #expect(report.errors.map(\.message) == [
            "mixed attention implementations: UnetChunk1 split_einsum, UnetChunk2 original; take every model from one variant folder (original or split_einsum)",
        ])
    }

    @Test func aRefinerFromTheOtherVariantIsAMix() throws {
        let folder = try resourceFolder(from: try CoreMLRepo(["--kind", "sdxl"]))
        let refiner = try CoreMLRepo(["--kind", "sdxl-refiner"])
        try FileManager.default.copyItem(at: refiner.compiled("split_einsum").appendingPathComponent("Unet.mlmodelc"), to: folder.path("UnetRefiner.mlmodelc"))
        let same = ResourceFolderChecker().check(folder.url)
        #expect(same.ok, "\(messages(same))")
        #expect(same.refiner)

        try FileManager.default.removeItem(at: folder.path("UnetRefiner.mlmodelc"))
        try FileManager.default.copyItem(at: refiner.compiled("original").appendingPathComponent("Unet.mlmodelc"), to: folder.path("UnetRefiner.mlmodelc"))
        let mixed = ResourceFolderChecker().check(folder.url)
        #expect(mixed.attention == nil)
        #expect(mixed.errors.map(\.message) == [
            "mixed attention implementations across the UNet, refiner and ControlNets (original and split_einsum); take every model from one variant folder (original or split_einsum)",
        ])
    }

    @Test func textEncoderWidthMustMatchTheUNet() throws {
        let folder = try resourceFolder(from: try CoreMLRepo(["--variants", "split_einsum"]))
        let wider = try CoreMLRepo(["--variants", "split_einsum", "--text-dim", "1024"])
        try FileManager.default.removeItem(at: folder.path("TextEncoder.mlmodelc"))
        try FileManager.default.copyItem(at: wider.compiled().appendingPathComponent("TextEncoder.mlmodelc"), to: folder.path("TextEncoder.mlmodelc"))
        let report = ResourceFolderChecker().check(folder.url)
        #expect(!report.ok)
        #expect(report.command == nil)
        #expect(report.errors.count == 1)
        #expect(messages(report).contains(
            "TextEncoder last_hidden_state width 1024 (1024) differs from Unet encoder_hidden_states channels 768 (shape [2, 768, 1, 77])"))
        #expect(messages(report).contains("Apple's CLI cannot feed this text encoder's output to this UNet; take both from one model's compiled folder"))
    }

    @Test func vaeDecoderMustTakeTheUNetLatents() throws {
        let folder = try resourceFolder(from: try CoreMLRepo(["--variants", "split_einsum"]))
        let sdxl = try CoreMLRepo(["--kind", "sdxl", "--variants", "split_einsum"])
        try FileManager.default.removeItem(at: folder.path("VAEDecoder.mlmodelc"))
        try FileManager.default.copyItem(at: sdxl.compiled().appendingPathComponent("VAEDecoder.mlmodelc"), to: folder.path("VAEDecoder.mlmodelc"))
        let report = ResourceFolderChecker().check(folder.url)
        #expect(report.errors.map(\.file) == ["VAEDecoder.mlmodelc"])
        #expect(messages(report).contains("Unet latent (channels, H, W) [4, 64, 64] differs from VAEDecoder z [4, 128, 128]"))
    }

    @Test func controlNetResidualsMustFitTheControlledUnet() throws {
        let folder = try resourceFolder(from: try CoreMLRepo(["--controlled-unet", "--variants", "split_einsum"]))
        try FileManager.default.createDirectory(at: folder.path("controlnet"), withIntermediateDirectories: true)
        let fitting = try CoreMLRepo(["--kind", "controlnet", "--variants", "split_einsum"])
        try FileManager.default.copyItem(at: fitting.compiled().appendingPathComponent("ControlNet.mlmodelc"), to: folder.path("controlnet/Fits.mlmodelc"))
        let good = ResourceFolderChecker().check(folder.url)
        #expect(good.ok, "\(messages(good))")

        let other = try CoreMLRepo(["--kind", "controlnet", "--variants", "split_einsum", "--latent-size", "96"])
        try FileManager.default.copyItem(at: other.compiled().appendingPathComponent("ControlNet.mlmodelc"), to: folder.path("controlnet/OtherResolution.mlmodelc"))
        let report = ResourceFolderChecker().check(folder.url)
        #expect(report.errors.map(\.file) == ["controlnet/OtherResolution.mlmodelc"])
        #expect(messages(report).contains(
            "controlnet/OtherResolution.mlmodelc: ControlNet down_block_res_samples_0 [2, 320, 96, 96] does not match ControlledUnet additional_residual_0 [2, 320, 64, 64]"))
    }

    @Test func aModelCoreMLCannotLoadIsNamed() throws {
        let folder = try resourceFolder(from: try CoreMLRepo(["--variants", "split_einsum"]))
        try "program(1.0)\n{ func main<ios16>(".write(to: folder.path("Unet.mlmodelc/model.mil"), atomically: true, encoding: .utf8)
        let report = ResourceFolderChecker().check(folder.url)
        #expect(report.errors.map(\.file) == ["Unet.mlmodelc"])
        #expect(messages(report).contains("Unet.mlmodelc cannot be loaded: "))
        #expect(messages(report).contains("MIL syntax error"))
    }

    @Test func packagesFolderShowsTheCompileCommand() throws {
        let repo = try CoreMLRepo(["--packages"])
        let report = ResourceFolderChecker().check(repo.url.appendingPathComponent("split_einsum/packages"))
        #expect(!report.ok)
        #expect(messages(report).contains("this is a packages/ folder"))
        #expect(messages(report).contains("xcrun coremlcompiler compile Stable_Diffusion_version_depot_fixture_"))
    }

    @Test func wrongLevelPointsAtTheCompiledFolder() throws {
        let repo = try CoreMLRepo(["--variants", "split_einsum"])
        let report = ResourceFolderChecker().check(repo.url)
        #expect(!report.ok)
        #expect(messages(report).contains("wrong level: the models are in \(repo.compiled().path)"))
    }

    @Test func missingWeightsAndVAEDecoderAreNamed() throws {
        let folder = try resourceFolder(from: try CoreMLRepo())
        try FileManager.default.removeItem(at: folder.path("VAEDecoder.mlmodelc"))
        try FileManager.default.removeItem(at: folder.path("TextEncoder.mlmodelc/weights/weight.bin"))
        let report = ResourceFolderChecker().check(folder.url)
        #expect(Set(report.errors.compactMap(\.file)) == ["VAEDecoder.mlmodelc", "TextEncoder.mlmodelc/weights/weight.bin"])
    }

    @Test func sdxlBaseAndRefinerAreTold() throws {
        let base = try resourceFolder(from: try CoreMLRepo(["--kind", "sdxl", "--variants", "original"]), variant: "original")
        let baseReport = ResourceFolderChecker().check(base.url)
        #expect(baseReport.ok, "\(messages(baseReport))")
        #expect(baseReport.kind == .stableDiffusionXL)
        #expect(!baseReport.refiner)
        #expect(baseReport.command?.contains("--xl --compute-units cpuAndGPU") == true)

        let refiner = try resourceFolder(from: try CoreMLRepo(["--kind", "sdxl-refiner", "--variants", "original"]), variant: "original")
        let refinerReport = ResourceFolderChecker().check(refiner.url)
        #expect(refinerReport.ok, "\(messages(refinerReport))")
        #expect(refinerReport.refiner)
    }

    @Test func controlNetNeedsControlledUnet() throws {
        let folder = try resourceFolder(from: try CoreMLRepo())
        let controlnet = try CoreMLRepo(["--kind", "controlnet", "--variants", "split_einsum"])
        try FileManager.default.createDirectory(at: folder.path("controlnet"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: controlnet.compiled().appendingPathComponent("ControlNet.mlmodelc"),
                                         to: folder.path("controlnet/LllyasvielSdControlnetMlsd.mlmodelc"))
        try FileManager.default.removeItem(at: folder.path("Unet.mlmodelc"))
        let report = ResourceFolderChecker().check(folder.url)
        #expect(report.errors.map(\.file) == ["ControlledUnet.mlmodelc"])
        #expect(messages(report).contains("controlnet/ models need the ControlledUnet in place of Unet"))
        #expect(ResourceNames.controlNetName(repo: "lllyasviel/sd-controlnet-mlsd") == "LllyasvielSdControlnetMlsd")
    }

    @Test func sd3FolderNeedsTheMMDiTInputsAndAWholeT5Set() throws {
        let folder = try resourceFolder(from: try CoreMLRepo(["--kind", "sd3", "--variants", "original", "--t5", "compiled"]), variant: "original")
        let t5Tokenizer = try CoreMLRepo(["--kind", "t5-tokenizer"])
        // TextEncoderT5 without its tokenizer files: usable, but T5 is ignored, and the user is told why.
        let partial = ResourceFolderChecker().check(folder.url)
        #expect(partial.ok, "\(messages(partial))")
        #expect(partial.kind == .stableDiffusion3)
        #expect(partial.command?.contains("--sd3 --compute-units cpuAndGPU") == true)
        #expect(partial.problems.map(\.severity) == [.warning])
        #expect(messages(partial).contains("T5 is ignored: tokenizer.json, tokenizer_config.json missing"))

        for name in ["tokenizer.json", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: t5Tokenizer.url.appendingPathComponent(name), to: folder.path(name))
        }
        let whole = ResourceFolderChecker().check(folder.url)
        #expect(whole.ok && whole.problems.isEmpty, "\(messages(whole))")

        // An SD3 folder whose MMDiT lacks the inputs Apple's pipeline reads is refused, naming them.
        let mmdit = folder.path("MultiModalDiffusionTransformer.mlmodelc/metadata.json")
        let text = try String(contentsOf: mmdit, encoding: .utf8).replacingOccurrences(of: "token_level_text_embeddings", with: "encoder_hidden_states")
        try text.write(to: mmdit, atomically: true, encoding: .utf8)
        let broken = ResourceFolderChecker().check(folder.url)
        #expect(broken.errors.map(\.file) == ["MultiModalDiffusionTransformer.mlmodelc"])
        #expect(messages(broken).contains("MultiModalDiffusionTransformer.mlmodelc has no input token_level_text_embeddings"))
    }
}
