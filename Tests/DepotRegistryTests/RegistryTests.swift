@testable import DepotRegistry
import DepotTestSupport
import Foundation
import Testing

private func sha256(ofFixture path: String) throws -> String {
    let result = try runChecked(URL(fileURLWithPath: "/usr/bin/sha256sum"), [TestEnvironment.fixture(path).path])
    return String(result.stdout.prefix(64))
}

@Suite struct BuiltinRegistryTests {
    @Test func theCompiledRegistryIsExactlyModelsJSON() throws {
        let source = try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("registry/models.json"), encoding: .utf8)
        #expect(BuiltinRegistry.json == source, "run Scripts/gen-registry after editing registry/models.json")
    }

    @Test func everyRequiredEntryPointsAtItsRepo() throws {
        let registry = try Registry.builtin()
        let expected = [
            "sd-1.4": "CompVis/stable-diffusion-v1-4", "sd-1.5": "stable-diffusion-v1-5/stable-diffusion-v1-5",
            "sd-2-base": "stabilityai/stable-diffusion-2-base", "sd-2.1-base": "stabilityai/stable-diffusion-2-1-base",
            "sdxl-base": "stabilityai/stable-diffusion-xl-base-1.0", "sdxl-refiner": "stabilityai/stable-diffusion-xl-refiner-1.0",
            "coreml-sd-1.4": "apple/coreml-stable-diffusion-v1-4", "coreml-sd-1.5": "apple/coreml-stable-diffusion-v1-5",
            "coreml-sd-2-base": "apple/coreml-stable-diffusion-2-base", "coreml-sd-2.1-base": "apple/coreml-stable-diffusion-2-1-base",
            "coreml-sd-1.4-palettized": "apple/coreml-stable-diffusion-1-4-palettized",
            "coreml-sd-1.5-palettized": "apple/coreml-stable-diffusion-1-5-palettized",
            "coreml-sd-2-base-palettized": "apple/coreml-stable-diffusion-2-base-palettized",
            "coreml-sd-2.1-base-palettized": "apple/coreml-stable-diffusion-2-1-base-palettized",
            "coreml-sdxl-base": "apple/coreml-stable-diffusion-xl-base", "coreml-sdxl-base-ios": "apple/coreml-stable-diffusion-xl-base-ios",
            "coreml-sd-mixed-bit": "apple/coreml-stable-diffusion-mixed-bit-palettization",
            "coreml-sd3-medium": "argmaxinc/coreml-stable-diffusion-3-medium",
            "coreml-sd3-medium-1024-t5": "argmaxinc/coreml-stable-diffusion-3-medium-1024-t5",
            "coreml-sd3-t5-encoder": "argmaxinc/coreml-stable-diffusion-3-medium",
            "clip-tokenizer": "openai/clip-vit-base-patch32", "t5-tokenizer": "google-t5/t5-small",
            "tiny-sd1": "depot-fixtures/tiny-sd1", "tiny-sd2": "depot-fixtures/tiny-sd2",
        ]
        #expect(registry.entries.mapValues(\.repo) == expected)
        for name in ["coreml-sd-1.4", "coreml-sd-1.5", "coreml-sd-2-base", "coreml-sd-2.1-base"] {
            #expect(registry.entries[name]?.variants.mapValues(\.folder) == ["original": "original", "split-einsum": "split_einsum"])
        }
        #expect(registry.entries["coreml-sd-1.5-palettized"]?.variants["split-einsum-v2"]?.folder == "split_einsum_v2")
    }

    @Test func sd3EntriesSelectTheCompiledZipAndTheRootT5Encoder() throws {
        let registry = try Registry.builtin()
        for name in ["coreml-sd3-medium", "coreml-sd3-medium-1024-t5"] {
            let model = try registry.resolve(name)
            #expect(model.variant?.folder == "original", "\(name)")
            let repo = model.repo.split(separator: "/").last.map(String.init) ?? ""
            #expect(model.filter.accepts("\(repo)_original_compiled.zip"), "\(name)")
            #expect(!model.filter.accepts("TextEncoderT5.mlmodelc/weights/weight.bin"), "\(name) leaves T5 to --t5")
        }
        let t5 = try registry.resolve("coreml-sd3-t5-encoder").filter
        #expect(t5.accepts("TextEncoderT5.mlmodelc/weights/weight.bin") && t5.accepts("TextEncoderT5.mlmodelc/metadata.json"))
        #expect(!t5.accepts("coreml-stable-diffusion-3-medium_original_compiled.zip"))
        let tokenizer = try registry.resolve("t5-tokenizer").filter
        #expect(tokenizer.accepts("tokenizer.json") && tokenizer.accepts("tokenizer_config.json") && !tokenizer.accepts("model.safetensors"))
    }

    @Test func clipHashesAreThoseOfTheRealFiles() throws {
        let clip = try Registry.builtin().resolve("clip-tokenizer")
        #expect(clip.expectedSHA256 == [
            "vocab.json": try sha256(ofFixture: "clip-vit-base-patch32/vocab.json"),
            "merges.txt": try sha256(ofFixture: "clip-vit-base-patch32/merges.txt"),
        ])
        #expect(clip.filter.accepts("vocab.json") && !clip.filter.accepts("pytorch_model.bin"))
    }

    @Test(arguments: ["tiny-sd1", "tiny-sd2"])
    func tinyEntriesKeepEveryFixtureFileAndKnowItsTokenizer(name: String) throws {
        let model = try Registry.builtin().resolve(name)
        let folder = TestEnvironment.fixture(name)
        let files = FileManager.default.enumerator(atPath: folder.path)!.compactMap { $0 as? String }
            .filter { !((try? folder.appendingPathComponent($0).resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? true) }
        #expect(files.count == 12)
        for file in files { #expect(model.filter.accepts(file), "\(name) must keep \(file)") }
        for (path, hash) in model.expectedSHA256 { #expect(try sha256(ofFixture: "\(name)/\(path)") == hash) }
        #expect(model.expectedSHA256.count == 2)
    }

    @Test func diffusersEntriesSkipWhatADiffusersUserDoesNotNeed() throws {
        let filter = try Registry.builtin().resolve("sd-1.5").filter
        for kept in ["model_index.json", "unet/config.json", "unet/diffusion_pytorch_model.safetensors",
                     "text_encoder/model.safetensors", "tokenizer/vocab.json", "scheduler/scheduler_config.json",
                     "safety_checker/model.safetensors", "feature_extractor/preprocessor_config.json"] {
            #expect(filter.accepts(kept), "keeps \(kept)")
        }
        for skipped in ["v1-5-pruned.ckpt", "v1-5-pruned-emaonly.safetensors", "unet/diffusion_pytorch_model.bin",
                        "unet/diffusion_pytorch_model.fp16.safetensors", "unet/diffusion_pytorch_model.non_ema.safetensors",
                        "text_encoder/flax_model.msgpack", "README.md", "v1-inference.yaml"] {
            #expect(!filter.accepts(skipped), "skips \(skipped)")
        }
        let xl = try Registry.builtin().resolve("sdxl-base").filter
        #expect(xl.accepts("text_encoder_2/model.safetensors") && xl.accepts("tokenizer_2/merges.txt"))
        for skipped in ["sd_xl_base_1.0.safetensors", "unet/openvino_model.bin", "unet/model.onnx", "vae_decoder/model.onnx",
                        "vae_1_0/diffusion_pytorch_model.safetensors"] {
            #expect(!xl.accepts(skipped), "skips \(skipped)")
        }
    }
}

@Suite struct RegistryResolutionTests {
    let registry: Registry

    init() throws { registry = try Registry.builtin() }

    @Test func aCoreMLNameTakesItsDefaultVariantAndAVariantPicksItsFolder() throws {
        let plain = try registry.resolve("coreml-sd-2.1-base")
        #expect(plain.name == "coreml-sd-2.1-base/split-einsum" && plain.kind == .coreml && plain.revision == "main")
        let original = try registry.resolve("coreml-sd-2.1-base/original")
        #expect(original.variant?.folder == "original")
        #expect(original.filter.accepts("original/compiled/Unet.mlmodelc/weights/weight.bin"))
        #expect(original.filter.accepts("original/packages/TextEncoder.mlpackage/Manifest.json"))
        #expect(!original.filter.accepts("split_einsum/compiled/vocab.json"))
        #expect(!original.filter.accepts("coreml-stable-diffusion-2-1-base_original_compiled.zip"))
        let v2 = try registry.resolve("coreml-sd-1.5-palettized/split-einsum-v2")
        #expect(v2.filter.accepts("coreml-stable-diffusion-1-5-palettized_split_einsum_v2_compiled.zip"))
        #expect(v2.filter.accepts("split_einsum_v2/compiled/merges.txt") && !v2.filter.accepts("split_einsum/compiled/merges.txt"))
    }

    @Test func revisionsFollowTheAtSign() throws {
        let pinned = try registry.resolve("sd-1.5@fp16")
        #expect(pinned.revision == "fp16" && pinned.revisionWasGiven && pinned.name == "sd-1.5")
        let both = try registry.resolve("coreml-sd-2.1-base/original@0123abc")
        #expect(both.name == "coreml-sd-2.1-base/original" && both.revision == "0123abc")
        let pr = try registry.resolve("tiny-sd1@refs/pr/1")
        #expect(pr.revision == "refs/pr/1")
        #expect(try registry.resolve("SD-1.5").name == "sd-1.5")
    }

    @Test func aRepoIDWorksWithoutAnEntry() throws {
        let model = try registry.resolve("someone/custom-model@v2")
        #expect(model.repo == "someone/custom-model" && model.name == "someone/custom-model")
        #expect(model.revision == "v2" && model.kind == nil && model.entry == nil)
        #expect(model.filter.accepts("anything.ckpt"))
        let narrowed = model.narrowed(include: ["unet/"], exclude: ["*.bin"])
        #expect(narrowed.filter.accepts("unet/a.safetensors") && !narrowed.filter.accepts("unet/a.bin") && !narrowed.filter.accepts("vae/a"))
    }

    @Test(arguments: [
        ("sd15", "sd-1.5"), ("sd-1.6", "sd-1.5"), ("coreml-sd21-base", "coreml-sd-2.1-base"),
        ("sdxl", "sdxl-base"), ("tiny-sd", "tiny-sd1"), ("clip", "clip-tokenizer"),
    ])
    func anUnknownNameSuggestsCloseOnes(name: String, suggestion: String) {
        do {
            _ = try registry.resolve(name)
            Issue.record("'\(name)' must not resolve")
        } catch let error as RegistryError {
            guard case .unknownName(let unknown, let suggestions) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(unknown == name)
            #expect(suggestions.contains(suggestion), "\(suggestions)")
            #expect(suggestions.count <= 5)
            #expect(error.description.contains(suggestion))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func variantErrorsListWhatExists() {
        #expect(throws: RegistryError.unknownVariant(name: "coreml-sd-2.1-base", variant: "split-einsum-v3",
                                                     available: ["original", "split-einsum"])) {
            try registry.resolve("coreml-sd-2.1-base/split-einsum-v3")
        }
        #expect(throws: RegistryError.noVariants(name: "sd-1.5", variant: "original")) { try registry.resolve("sd-1.5/original") }
        #expect(throws: RegistryError.self) { try registry.resolve("") }
        #expect(throws: RegistryError.self) { try registry.resolve("sd-1.5@") }
        #expect(throws: RegistryError.self) { try registry.resolve("@main") }
    }
}

@Suite struct RegistryFileTests {
    private func parse(_ json: String) throws -> Registry { try Registry(json: Data(json.utf8), source: "/tmp/registry.json") }

    @Test(arguments: [
        ("{\"format\": 1, \"models\": {\"x\": {\"repo\": \"o/x\", \"kind\": \"diffusers\", \"exlude\": []}}}", "entry 'x': unknown key 'exlude'"),
        ("{\"format\": 1, \"models\": {\"x\": {\"repo\": \"o/x\", \"kind\": \"onnx\"}}}", "kind 'onnx' is not one of"),
        ("{\"format\": 1, \"models\": {\"x\": {\"repo\": \"nope\", \"kind\": \"diffusers\"}}}", "repo 'nope' is not an org/name"),
        ("{\"format\": 1, \"models\": {\"X/Y\": {\"repo\": \"o/x\", \"kind\": \"diffusers\"}}}", "entry 'X/Y': names use lower-case"),
        ("{\"format\": 1, \"models\": {\"x\": {\"repo\": \"o/x\", \"kind\": \"tokenizer\", \"sha256\": {\"a\": \"abc\"}}}}", "sha256 of 'a'"),
        ("{\"format\": 1, \"models\": {\"x\": {\"repo\": \"o/x\", \"kind\": \"coreml\", \"default_variant\": \"fast\"}}}", "default_variant 'fast'"),
        ("{\"format\": 1, \"models\": {\"x\": {\"kind\": \"coreml\"}}}", "models.x.repo is missing"),
        ("{\"format\": 1, \"models\": {\"x\": {\"repo\": 5, \"kind\": \"coreml\"}}}", "models.x.repo has the wrong type"),
        ("{\"format\": 2, \"models\": {}}", "format 2 is not supported"),
        ("{\"format\": 1, \"models\": {}, \"extra\": 1}", "unknown top-level key 'extra'"),
        ("{\"format\": 1, \"models\": {", "not valid"),
    ])
    func aBadRegistryNamesTheFileTheEntryAndTheProblem(json: String, message: String) {
        do {
            _ = try parse(json)
            Issue.record("must fail: \(json)")
        } catch let error as RegistryError {
            #expect(error.description.contains("/tmp/registry.json"))
            #expect(error.description.contains(message), "\(error.description)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func userEntriesAddAndOverride() throws {
        let folder = try TemporaryDirectory()
        let file = folder.path("registry.json")
        try Data("""
            {"format": 1, "models": {
              "my-model": {"repo": "me/my-model", "kind": "diffusers", "revision": "v3", "include": ["unet/"]},
              "sd-1.5": {"repo": "me/sd15-fork", "kind": "diffusers"}
            }}
            """.utf8).write(to: file)
        let registry = try Registry.load(userFile: file.path)
        let mine = try registry.resolve("my-model")
        #expect(mine.repo == "me/my-model" && mine.revision == "v3" && mine.entry?.source == file.path)
        #expect(try registry.resolve("sd-1.5").repo == "me/sd15-fork")
        #expect(try registry.resolve("sd-1.4").repo == "CompVis/stable-diffusion-v1-4")
        let missing = try Registry.load(userFile: folder.path("absent.json").path)
        #expect(missing.entries.count == (try Registry.builtin()).entries.count)
    }
}

@Suite struct EditDistanceTests {
    @Test(arguments: [("", "", 0), ("abc", "", 3), ("kitten", "sitting", 3), ("sd15", "sd-1.5", 2), ("flaw", "lawn", 2)])
    func levenshtein(a: String, b: String, distance: Int) {
        #expect(editDistance(a, b) == distance)
        #expect(editDistance(b, a) == distance)
    }
}
