import DepotBundle
import DepotCore
import DepotTestSupport
import Foundation
import Testing

/// SD3 bundles (`--sd3` folders) over olah, with and without `--t5`.
@Suite(.serialized) struct SD3BundleTests {
    static let sd3 = "argmaxinc/coreml-stable-diffusion-3-medium"
    static let sd3T5 = "argmaxinc/coreml-stable-diffusion-3-medium-1024-t5"
    static let t5Small = "google-t5/t5-small"

    /// Every file of the bundle is listed in bundle.json with its true SHA-256 and size.
    private func expectManifestMatchesFiles(_ folder: URL) throws {
        let manifest = try BundleManifest.read(from: folder)
        #expect(manifest.files.map(\.path) == (try fileTree(folder)).filter { $0 != "bundle.json" })
        for file in manifest.files {
            let digest = try ContentHasher.digest(ofFileAt: folder.appendingPathComponent(file.path).path)
            #expect(digest.sha256 == file.sha256 && digest.size == file.size, "\(file.path)")
        }
    }

    @Test func zipRepoWithT5FromTheRepoRootAndT5Small() async throws {
        // Argmax's layout: the compiled models in the root *_original_compiled.zip, T5 at the root.
        let repo = try CoreMLRepo(["--kind", "sd3", "--variants", "original", "--zip", "coreml-stable-diffusion-3-medium",
                                   "--no-folders", "--t5", "root"])
        let reference = try CoreMLRepo(["--kind", "sd3", "--variants", "original"])
        let tokenizer = try CoreMLRepo(["--kind", "t5-tokenizer"])
        let world = try BundleWorld([Self.sd3: repo.url, Self.t5Small: tokenizer.url])

        let report = try await world.bundler.bundle(BundleRequest(name: "coreml-sd3-medium", output: world.output(), t5: true))
        #expect(report.kind == .stableDiffusion3)
        #expect(report.command == "swift run StableDiffusionSample \"a photo of a cat\" --resource-path \(world.output().path) --sd3 --compute-units cpuAndGPU")
        #expect(report.models.map(\.role) == ["pipeline", "tokenizer", "t5-encoder", "t5-tokenizer"])
        #expect(report.models.map(\.repo) == [Self.sd3, BundleWorld.clip, Self.sd3, Self.t5Small])
        #expect(report.models[0].source == "coreml-stable-diffusion-3-medium_original_compiled.zip")
        #expect(report.warnings.isEmpty, "\(report.warnings)")

        let t5 = try fileTree(repo.url.appendingPathComponent("TextEncoderT5.mlmodelc")).map { "TextEncoderT5.mlmodelc/\($0)" }
        let expected = try fileTree(reference.compiled("original")) + t5
            + ["vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json", "bundle.json"]
        #expect(try fileTree(world.output()) == expected.sorted())
        for name in ["tokenizer.json", "tokenizer_config.json"] {
            #expect(try Data(contentsOf: world.output().appendingPathComponent(name)) == Data(contentsOf: tokenizer.url.appendingPathComponent(name)))
        }
        try expectManifestMatchesFiles(world.output())
        let check = ResourceFolderChecker().check(world.output())
        #expect(check.ok && check.problems.isEmpty, "\(check.problems)")
        #expect(check.kind == .stableDiffusion3)

        // Without --t5: the SD3 folder alone, no T5 pieces.
        let plain = try await world.bundler.bundle(BundleRequest(name: "coreml-sd3-medium", output: world.output("Plain")))
        #expect(plain.models.map(\.role) == ["pipeline", "tokenizer"])
        #expect(try fileTree(world.output("Plain")) == (try fileTree(reference.compiled("original")) + ["vocab.json", "merges.txt", "bundle.json"]).sorted())
        #expect(ResourceFolderChecker().check(world.output("Plain")).ok)
    }

    @Test func modelThatShipsItsOwnT5() async throws {
        let repo = try CoreMLRepo(["--kind", "sd3", "--variants", "original", "--zip", "coreml-stable-diffusion-3-medium-1024-t5",
                                   "--no-folders", "--t5", "compiled"])
        let tokenizer = try CoreMLRepo(["--kind", "t5-tokenizer"])
        let world = try BundleWorld([Self.sd3T5: repo.url, Self.t5Small: tokenizer.url])

        // Its own TextEncoderT5 is used; no second T5 repo is pulled.
        let report = try await world.bundler.bundle(BundleRequest(name: "coreml-sd3-medium-1024-t5", output: world.output(), t5: true))
        #expect(report.models.map(\.role) == ["pipeline", "tokenizer", "t5-tokenizer"])
        let tree = try fileTree(world.output())
        #expect(tree.contains("TextEncoderT5.mlmodelc/weights/weight.bin") && tree.contains("tokenizer.json"))
        let manifest = try BundleManifest.read(from: world.output())
        #expect(manifest.files.first { $0.path == "TextEncoderT5.mlmodelc/model.mil" }?.model == 0)
        try expectManifestMatchesFiles(world.output())
        #expect(ResourceFolderChecker().check(world.output()).problems.isEmpty)

        // Without --t5 the encoder is left out (it would be ignored without its tokenizer), and the report says so.
        let plain = try await world.bundler.bundle(BundleRequest(name: "coreml-sd3-medium-1024-t5", output: world.output("Plain")))
        #expect(!(try fileTree(world.output("Plain"))).contains { $0.hasPrefix("TextEncoderT5.mlmodelc/") })
        #expect(plain.warnings.map(\.file) == ["TextEncoderT5.mlmodelc"])
        #expect(plain.warnings.first?.message.contains("pass --t5 to use it") == true)
    }

    @Test func t5OnAnSD2ModelIsRefused() async throws {
        let repo = try CoreMLRepo()
        let world = try BundleWorld([BundleWorld.sd21: repo.url])
        do {
            _ = try await world.bundler.bundle(BundleRequest(name: "coreml-sd-2.1-base", output: world.output(), t5: true))
            Issue.record("--t5 was accepted for an SD 2.1 model")
        } catch let error as BundleError {
            #expect(String(describing: error).contains("has no MultiModalDiffusionTransformer.mlmodelc: bundle an SD3 model"))
        }
        #expect(!FileManager.default.fileExists(atPath: world.output().path))
    }
}
