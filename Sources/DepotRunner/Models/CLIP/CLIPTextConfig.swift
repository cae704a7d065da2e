import Foundation

/// transformers' CLIPTextConfig, with its defaults for absent keys.
public struct CLIPTextConfig: Sendable, Equatable {
    public let hiddenSize: Int
    public let intermediateSize: Int
    public let attentionHeads: Int
    public let layers: Int
    public let maxPositions: Int
    public let vocabularySize: Int
    public let layerNormEps: Float
    public let hiddenAct: Activation

    init(_ config: ConfigFile) throws(ModelLoadError) {
        hiddenSize = try config.int("hidden_size", default: 512)
        intermediateSize = try config.int("intermediate_size", default: 2048)
        attentionHeads = try config.int("num_attention_heads", default: 8)
        layers = try config.int("num_hidden_layers", default: 12)
        maxPositions = try config.int("max_position_embeddings", default: 77)
        vocabularySize = try config.int("vocab_size", default: 49408)
        layerNormEps = try config.float("layer_norm_eps", default: 1e-5)
        let act = try config.string("hidden_act", default: "quick_gelu") ?? "quick_gelu"
        guard let activation = Activation(rawValue: act), activation != .silu else { throw config.unsupported("hidden_act") }
        hiddenAct = activation
        guard hiddenSize % attentionHeads == 0 else {
            throw .invalidConfig(file: config.file, reason: "hidden_size \(hiddenSize) is not divisible by num_attention_heads \(attentionHeads)")
        }
    }
}
