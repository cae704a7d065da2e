/// What a model does in a Stable Diffusion resource folder, from its file name: Apple's compiled
/// names (`Unet.mlmodelc`) or the converter's package names (`..._unet.mlpackage`).
public enum ResourceRole: String, Sendable, CaseIterable {
    case textEncoder = "TextEncoder"
    case textEncoder2 = "TextEncoder2"
    case textEncoderT5 = "TextEncoderT5"
    case unet = "Unet"
    case unetChunk1 = "UnetChunk1"
    case unetChunk2 = "UnetChunk2"
    case controlledUnet = "ControlledUnet"
    case controlNet = "ControlNet"
    case vaeDecoder = "VAEDecoder"
    case vaeEncoder = "VAEEncoder"
    case safetyChecker = "SafetyChecker"
    case multiModalDiffusionTransformer = "MultiModalDiffusionTransformer"

    public init?(modelName: String) {
        let key = modelName.lowercased().replacingOccurrences(of: "_", with: "").replacingOccurrences(of: "-", with: "")
        // Longest suffixes first: "textencoder2" before "textencoder", "controlledunet" before "unet".
        let suffixes: [(String, ResourceRole)] = [
            ("textencodert5", .textEncoderT5), ("textencoder2", .textEncoder2), ("textencoder", .textEncoder),
            ("unetchunk1", .unetChunk1), ("unetchunk2", .unetChunk2), ("controlledunet", .controlledUnet),
            ("controlunet", .controlNet), ("controlnet", .controlNet), ("unet", .unet),
            ("vaedecoder", .vaeDecoder), ("vaeencoder", .vaeEncoder), ("safetychecker", .safetyChecker),
            ("multimodaldiffusiontransformer", .multiModalDiffusionTransformer), ("mmdit", .multiModalDiffusionTransformer),
        ]
        guard let match = suffixes.first(where: { key.hasSuffix($0.0) }) else { return nil }
        self = match.1
    }
}
