import DepotRegistry
/// The file names Apple's pipeline loads from a resource folder (case-sensitive).
public enum ResourceNames {
    public static let textEncoder = "TextEncoder.mlmodelc"
    public static let textEncoder2 = "TextEncoder2.mlmodelc"
    public static let textEncoderT5 = "TextEncoderT5.mlmodelc"
    public static let unet = "Unet.mlmodelc"
    public static let unetChunk1 = "UnetChunk1.mlmodelc"
    public static let unetChunk2 = "UnetChunk2.mlmodelc"
    public static let controlledUnet = "ControlledUnet.mlmodelc"
    public static let controlledUnetChunk1 = "ControlledUnetChunk1.mlmodelc"
    public static let controlledUnetChunk2 = "ControlledUnetChunk2.mlmodelc"
    public static let unetRefiner = "UnetRefiner.mlmodelc"
    public static let unetRefinerChunk1 = "UnetRefinerChunk1.mlmodelc"
    public static let unetRefinerChunk2 = "UnetRefinerChunk2.mlmodelc"
    public static let mmdit = "MultiModalDiffusionTransformer.mlmodelc"
    public static let vaeDecoder = "VAEDecoder.mlmodelc"
    public static let vaeEncoder = "VAEEncoder.mlmodelc"
    public static let safetyChecker = "SafetyChecker.mlmodelc"
    public static let controlNetFolder = "controlnet"
    public static let vocab = "vocab.json"
    public static let merges = "merges.txt"
    public static let t5Tokenizer = "tokenizer.json"
    public static let t5TokenizerConfig = "tokenizer_config.json"
    public static let manifest = "bundle.json"

    /// vocab.json and merges.txt of openai/clip-vit-base-patch32 (every kind uses them) with their
    /// known SHA-256, read from the built-in registry's `clip-tokenizer` entry, the one place they are written.
    public static func clipTokenizerFiles() throws -> [(name: String, sha256: String)] {
        let known = try Registry.builtin().entries["clip-tokenizer"]?.expectedSHA256 ?? [:]
        return try [vocab, merges].map { name in
            guard let sha256 = known[name] else { throw BundleError.tokenizerHashUnknown(file: name) }
            return (name, sha256)
        }
    }

    /// The ControlNet model name Apple's pipeline expects for a repo id:
    /// `lllyasviel/sd-controlnet-mlsd` -> `LllyasvielSdControlnetMlsd`.
    public static func controlNetName(repo: String) -> String {
        repo.split(whereSeparator: { "/-_".contains($0) }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
