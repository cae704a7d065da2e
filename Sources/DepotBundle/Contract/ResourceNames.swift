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

    /// Known SHA-256 of openai/clip-vit-base-patch32's tokenizer files, the ones every kind uses.
    public static let clipVocabSHA256 = "5047b556ce86ccaf6aa22b3ffccfc52d391ea4accdab9c2f2407da5b742d4363"
    public static let clipMergesSHA256 = "f526393189112391ce6f9795d4695f704121ce452c3aad1f5335cc41337eba85"

    /// The ControlNet model name Apple's pipeline expects for a repo id:
    /// `lllyasviel/sd-controlnet-mlsd` -> `LllyasvielSdControlnetMlsd`.
    public static func controlNetName(repo: String) -> String {
        repo.split(whereSeparator: { "/-_".contains($0) }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
