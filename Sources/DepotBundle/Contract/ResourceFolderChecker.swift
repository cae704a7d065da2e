import DepotCore
import DepotCoreML
import Foundation

/// Checks a folder against the resource folder contract of Apple's Stable Diffusion pipeline
/// (swift/StableDiffusion/pipeline): required models per kind, chunk pairs, the CLIP tokenizer
/// files; each ML-program model is opened with DepotCoreML's reader (model.mil, metadata.json,
/// coremldata.bin, weight records) and the models are cross-checked with its consistency checks
/// (see ``ModelConsistency``). Works on any folder, made by depot or by Apple's script.
public struct ResourceFolderChecker: Sendable {
    public init() {}

    public func check(_ folder: URL) -> BundleCheckReport {
        var inspection = FolderInspection(folder: folder)
        inspection.run()
        let errors = inspection.problems.contains { $0.severity == .error }
        return BundleCheckReport(
            folder: folder.path, ok: !errors, kind: inspection.kind, refiner: inspection.refiner,
            attention: inspection.attention, models: inspection.modelNames,
            command: errors ? nil : inspection.kind?.sampleCommand(resourcePath: folder.path), problems: inspection.problems)
    }
}

/// One pass over one folder, collecting problems.
private struct FolderInspection {
    let folder: URL
    var problems: [BundleProblem] = []
    var kind: PipelineKind?
    var refiner = false
    var attention: AttentionVariant?
    var modelNames: [String] = []
    private var entries: Set<String> = []
    /// The ML-program models that opened, by path in the folder (`controlnet/` ones included).
    private var models: [String: CoreMLModel] = [:]

    init(folder: URL) { self.folder = folder }

    mutating func run() {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            problems.append(.error(nil, "\(folder.path) is not a folder: pass the folder that holds the .mlmodelc models"))
            return
        }
        entries = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        modelNames = entries.filter { $0.hasSuffix(".mlmodelc") }.sorted()
        if modelNames.isEmpty {
            explainWhyNoModels()
            return
        }
        for name in modelNames + controlNetModels { inspectModel(name) }
        kind = detectKind()
        switch kind {
        case .stableDiffusion3: checkSD3()
        case .stableDiffusionXL: checkSDXL()
        default: checkSD()
        }
        checkControlNet()
        checkConsistency()
        checkTokenizer()
    }

    private func has(_ name: String) -> Bool { entries.contains(name) }

    // MARK: - Where the models are not

    private mutating func explainWhyNoModels() {
        let packages = entries.filter { $0.hasSuffix(".mlpackage") }.sorted()
        if let first = packages.first {
            problems.append(.error(first, """
                this is a packages/ folder: \(packages.count) .mlpackage model(s) that Core ML must compile before Apple's CLI can load them. \
                Use the repo's compiled/ folder instead, or compile each on a Mac: `xcrun coremlcompiler compile \(first) OUT/` \
                (then bundle OUT/ with vocab.json and merges.txt)
                """))
            return
        }
        for level in ["compiled", "split_einsum/compiled", "split_einsum_v2/compiled", "original/compiled"] {
            let candidate = folder.appendingPathComponent(level)
            let inside = (try? FileManager.default.contentsOfDirectory(atPath: candidate.path)) ?? []
            if inside.contains(where: { $0.hasSuffix(".mlmodelc") }) {
                problems.append(.error(level, "wrong level: the models are in \(candidate.path); pass that folder as --resource-path"))
                return
            }
        }
        problems.append(.error(nil, "no .mlmodelc model in \(folder.path): a resource folder holds TextEncoder.mlmodelc, Unet.mlmodelc, VAEDecoder.mlmodelc, vocab.json and merges.txt side by side"))
    }

    // MARK: - Models

    private mutating func inspectModel(_ name: String) {
        let model = folder.appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: model.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            problems.append(.error(name, "\(name) is not a folder: a compiled Core ML model is a folder (model.mil or model.espresso.net, coremldata.bin, weights/)"))
            return
        }
        let files = Set((try? FileManager.default.contentsOfDirectory(atPath: model.path)) ?? [])
        if files.contains("model.mil") {
            do {
                models[name] = try CoreMLModel(at: model)
            } catch {
                problems.append(Self.unloadable(name, error))
            }
        } else if files.contains(where: { $0.hasPrefix("model.espresso") }) {
            // A neural-network model: DepotCoreML reads ML programs only, so only its files are checked.
            if !files.contains("coremldata.bin") {
                problems.append(.error("\(name)/coremldata.bin", "\(name)/coremldata.bin is missing: the model is incomplete; pull or extract it again"))
            }
        } else {
            problems.append(.error(name, "\(name) has neither model.mil nor model.espresso.net: it is not a compiled model"))
        }
    }

    /// Why Core ML would not load the model, naming the file at fault when one is missing.
    private static func unloadable(_ name: String, _ error: CoreMLError) -> BundleProblem {
        if case .missingFile(_, let path, let purpose) = error {
            return .error("\(name)/\(path)", "\(name)/\(path) is missing (\(purpose)): the model is incomplete; pull or extract it again")
        }
        return .error(name, "\(name) cannot be loaded: \(error)")
    }

    private func detectKind() -> PipelineKind {
        if has(ResourceNames.mmdit) { return .stableDiffusion3 }
        if has(ResourceNames.textEncoder2) { return .stableDiffusionXL }
        return .stableDiffusion
    }

    /// The UNet family `base` (Unet, ControlledUnet, UnetRefiner): whole or as a complete chunk pair.
    /// Returns the model whose inputs describe it, or nil when absent; reports half pairs.
    private mutating func unet(_ base: String, required: Bool, why: String) -> String? {
        let whole = "\(base).mlmodelc", first = "\(base)Chunk1.mlmodelc", second = "\(base)Chunk2.mlmodelc"
        switch (has(first), has(second)) {
        case (true, true):
            if has(whole) { problems.append(.warning(whole, "\(whole) is not used: \(first) and \(second) are present and chunks win")) }
            return first
        case (true, false):
            problems.append(.error(second, "\(second) missing: \(first) needs it; Apple's pipeline loads the chunks as a pair"))
            return nil
        case (false, true):
            problems.append(.error(first, "\(first) missing: \(second) needs it; Apple's pipeline loads the chunks as a pair"))
            return nil
        case (false, false):
            if has(whole) { return whole }
            if required { problems.append(.error(whole, "\(whole) missing (or \(first) + \(second)): \(why)")) }
            return nil
        }
    }

    private mutating func require(_ name: String, _ why: String) {
        if !has(name) { problems.append(.error(name, "\(name) missing: \(why)")) }
    }

    /// `controlnet/Name.mlmodelc` for each model in the controlnet/ folder.
    private var controlNetModels: [String] {
        let inside = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(ResourceNames.controlNetFolder).path)) ?? []
        return inside.filter { $0.hasSuffix(".mlmodelc") }.sorted().map { "\(ResourceNames.controlNetFolder)/\($0)" }
    }

    private var usesControlNet: Bool { !controlNetModels.isEmpty }

    private mutating func checkSD() {
        require(ResourceNames.textEncoder, "the pipeline encodes the prompt with it")
        if !usesControlNet { _ = unet("Unet", required: true, why: "the denoiser is required") }
        require(ResourceNames.vaeDecoder, "the pipeline decodes latents to pixels with it")
    }

    private mutating func checkSDXL() {
        require(ResourceNames.textEncoder2, "SDXL encodes the prompt with it")
        require(ResourceNames.vaeDecoder, "the pipeline decodes latents to pixels with it")
        if !usesControlNet, let model = unet("Unet", required: true, why: "the SDXL denoiser is required") {
            let dims = models[model]?.input("time_ids")?.shape.last
            if dims == 5 {
                refiner = true
                if has(ResourceNames.textEncoder) {
                    problems.append(.warning(model, "\(model) is an SDXL refiner (time_ids of 5) but TextEncoder.mlmodelc is present: a base UNet (time_ids of 6) belongs with it"))
                }
            } else if dims == nil {
                problems.append(.warning(model, "\(model) has no time_ids input: it does not look like an SDXL UNet (was --sd3 or SD 1.x/2.x meant?)"))
            }
        }
        if let model = unet("UnetRefiner", required: false, why: "") {
            refiner = true
            if models[model]?.input("time_ids")?.shape.last == 6 {
                problems.append(.error(model, "\(model) is an SDXL base UNet (time_ids of 6), not a refiner (time_ids of 5): bundle the refiner model in its place"))
            }
        }
    }

    private mutating func checkSD3() {
        require(ResourceNames.textEncoder, "SD3 encodes the prompt with both CLIP encoders")
        require(ResourceNames.textEncoder2, "SD3 encodes the prompt with both CLIP encoders")
        require(ResourceNames.vaeDecoder, "the pipeline decodes latents to pixels with it")
        // Apple's SD3 pipeline reads these inputs' shapes without checking that they exist.
        requireInputs(ResourceNames.mmdit, ["latent_image_embeddings", "token_level_text_embeddings", "pooled_text_embeddings", "timestep"],
                      why: "it is not the SD3 MMDiT Apple's pipeline drives")
        let t5 = [ResourceNames.textEncoderT5, ResourceNames.t5Tokenizer, ResourceNames.t5TokenizerConfig]
        let present = t5.filter(has)
        if !present.isEmpty, present.count < t5.count {
            let missing = t5.filter { !has($0) }.joined(separator: ", ")
            problems.append(.warning(missing, "T5 is ignored: \(missing) missing (T5 needs TextEncoderT5.mlmodelc, tokenizer.json and tokenizer_config.json from google-t5/t5-small)"))
        } else if present.count == t5.count {
            requireInputs(ResourceNames.textEncoderT5, ["input_ids", "attention_mask"], why: "Apple's pipeline feeds T5 exactly these")
        }
    }

    /// A model that opened must take `inputs`; a missing one is an error naming them.
    private mutating func requireInputs(_ model: String, _ inputs: [String], why: String) {
        guard let meta = models[model] else { return }
        let missing = inputs.filter { meta.input($0) == nil }
        if !missing.isEmpty {
            problems.append(.error(model, "\(model) has no input \(missing.joined(separator: ", ")): \(why); take it from an SD3 Core ML conversion"))
        }
    }

    private mutating func checkControlNet() {
        if usesControlNet {
            _ = unet("ControlledUnet", required: true, why: "controlnet/ models need the ControlledUnet in place of Unet")
        } else if has(ResourceNames.controlledUnet) || has(ResourceNames.controlledUnetChunk1) {
            problems.append(.warning(ResourceNames.controlledUnet, "ControlledUnet is present but controlnet/ holds no model: add controlnet/<Name>.mlmodelc or drop ControlledUnet"))
        }
    }

    private mutating func checkConsistency() {
        let (found, variant) = ModelConsistency(models: models, folder: folder).check()
        problems += found
        attention = variant
    }

    private mutating func checkTokenizer() {
        let expected: [(name: String, sha256: String)]
        do {
            expected = try ResourceNames.clipTokenizerFiles()
        } catch {
            problems.append(.error(nil, String(describing: error)))
            return
        }
        for (name, known) in expected {
            let path = folder.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else {
                problems.append(.error(name, "\(name) missing: the Swift CLI crashes without it; `depot bundle` adds it from openai/clip-vit-base-patch32 (or copy it from there)"))
                continue
            }
            if let digest = try? ContentHasher.digest(ofFileAt: path), digest.sha256 != known {
                problems.append(.warning(name, "\(name) is not openai/clip-vit-base-patch32's (SHA-256 \(digest.sha256.prefix(12))…): prompts will tokenize wrongly unless the text encoder expects it"))
            }
        }
    }
}
