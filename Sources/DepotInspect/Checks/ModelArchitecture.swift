/// The model classes whose tensors depot derives from config.json.
public enum ModelArchitecture: String, Sendable, CaseIterable {
    case unet = "UNet2DConditionModel"
    case autoencoderKL = "AutoencoderKL"
    case clipText = "CLIPTextModel"
    case clipTextWithProjection = "CLIPTextModelWithProjection"

    /// Tensors the config implies. `storedNames` lets the CLIP layout follow the checkpoint's
    /// choice of a "text_model." prefix (both occur on the Hub).
    public func expectedTensors(_ config: ComponentConfig, storedNames: some Collection<String>) throws(ConfigError) -> ExpectedTensors {
        switch self {
        case .unet:
            return try UNet2DConditionLayout.expectedTensors(config)
        case .autoencoderKL:
            return try AutoencoderKLLayout.expectedTensors(config)
        case .clipText, .clipTextWithProjection:
            let prefix = storedNames.contains { $0.hasPrefix("text_model.") } ? "text_model." : ""
            return try CLIPTextLayout.expectedTensors(config, withProjection: self == .clipTextWithProjection, prefix: prefix)
        }
    }

    public var aliases: [String: String] {
        self == .autoencoderKL ? AutoencoderKLLayout.legacyAttentionNames : [:]
    }
}
