import DepotRegistry

/// Why `depot bundle` could not build the folder, and what to do about it.
public enum BundleError: Error, Sendable, CustomStringConvertible {
    case notCoreML(name: String, kind: String)
    case variantNotInRepo(name: String, folder: String, available: [String])
    case packagesOnly(name: String, packages: [String])
    case noCompiledModels(name: String, folder: String)
    case tokenizerHashMismatch(file: String, expected: String, actual: String)
    case tokenizerFileMissing(file: String)
    case tokenizerHashUnknown(file: String)
    case destinationExists(String)
    case destinationParentMissing(String)
    case fileSystem(operation: String, path: String, reason: String)
    case contractViolated(folder: String, problems: [BundleProblem])
    case notOneControlNet(name: String, models: [String])
    case refinerWithoutUnet(name: String)
    case t5NeedsSD3(name: String)
    case t5EncoderMissing(name: String)
    case t5TokenizerFileMissing(name: String, file: String)

    public var description: String {
        switch self {
        case .notCoreML(let name, let kind):
            return "\(name) is a \(kind) model, not a Core ML one: bundle a Core ML model such as coreml-sd-2.1-base/split-einsum (`depot list` shows what is installed)"
        case .variantNotInRepo(let name, let folder, let available):
            let others = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "\(name) has no \(folder)/compiled/ folder; variants with compiled models: \(others). Choose one with --variant"
        case .packagesOnly(let name, let packages):
            let first = packages.first ?? "Model.mlpackage"
            return """
                \(name) holds only uncompiled .mlpackage models (\(packages.joined(separator: ", "))): Apple's CLI loads compiled .mlmodelc folders. \
                Compile each on a Mac with `xcrun coremlcompiler compile \(first) OUT/`, then run `depot bundle --check OUT/` \
                after adding vocab.json and merges.txt; or bundle a variant that ships compiled/ models
                """
        case .noCompiledModels(let name, let folder):
            return "\(name) has no compiled models in \(folder)/compiled/ and no *_\(folder)_compiled.zip: check the repo's layout with `depot show \(name)`"
        case .tokenizerHashMismatch(let file, let expected, let actual):
            return "the installed \(file) of openai/clip-vit-base-patch32 has SHA-256 \(actual), not the known \(expected): run `depot verify clip-tokenizer`, then `depot rm clip-tokenizer` and bundle again"
        case .tokenizerFileMissing(let file):
            return "clip-tokenizer is installed without \(file): run `depot rm clip-tokenizer` and bundle again (it is pulled with its known hashes)"
        case .tokenizerHashUnknown(let file):
            return "the registry's clip-tokenizer entry has no SHA-256 for \(file), so it cannot be checked: restore its \"sha256\" in registry/models.json and run Scripts/gen-registry"
        case .destinationExists(let path):
            return "\(path) already exists: pass --force to replace it (the new folder is built beside it and swapped in), or choose another -o"
        case .destinationParentMissing(let path):
            return "the folder \(path) that should hold the bundle does not exist: create it first"
        case .fileSystem(let operation, let path, let reason):
            return "\(operation) \(path) failed: \(reason)"
        case .notOneControlNet(let name, let models):
            return "\(name) should hold exactly one compiled ControlNet model, but holds \(models.isEmpty ? "none" : models.joined(separator: ", ")): pass a ControlNet repo to --controlnet"
        case .refinerWithoutUnet(let name):
            return "\(name) has no Unet.mlmodelc (or UnetChunk1/2) to use as the refiner: pass an SDXL refiner model to --refiner"
        case .t5NeedsSD3(let name):
            return "--t5 adds SD3's T5 text encoder, but \(name) has no MultiModalDiffusionTransformer.mlmodelc: bundle an SD3 model (coreml-sd3-medium) or drop --t5"
        case .t5EncoderMissing(let name):
            return "\(name) holds no TextEncoderT5.mlmodelc, so --t5 has no encoder to add: check the repo with `depot show \(name)`"
        case .t5TokenizerFileMissing(let name, let file):
            return "\(name) is installed without \(file), which T5 needs: run `depot rm \(name)` and bundle again (it is pulled from google-t5/t5-small)"
        case .contractViolated(let folder, let problems):
            let list = problems.map { "  - \($0.message)" }.joined(separator: "\n")
            return "the assembled folder \(folder) breaks Apple's resource contract, so it was not installed:\n\(list)"
        }
    }
}

