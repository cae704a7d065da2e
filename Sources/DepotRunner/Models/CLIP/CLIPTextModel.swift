import Foundation

/// The CLIP text encoder (transformers' CLIPTextModel): token + position embeddings, causal
/// pre-norm layers, final layer norm; returns last_hidden_state.
public final class CLIPTextModel: Sendable {
    public let config: CLIPTextConfig
    private let tokenEmbedding: Weight
    private let positionEmbedding: Weight
    private let layers: [CLIPEncoderLayer]
    private let finalNorm: LayerNormLayer

    /// `directory` is the text_encoder/ folder (config.json + model.safetensors).
    public convenience init(directory: URL) throws {
        try self.init(config: ConfigFile(url: directory.appendingPathComponent("config.json")),
                      weights: Weights(directory: directory, baseName: "model"))
    }

    /// The tensors (names, shapes) a checkpoint needs for the given config.json.
    public static func expectedWeights(config: URL) throws -> [WeightManifest.Entry] {
        let manifest = WeightManifest()
        _ = try CLIPTextModel(config: ConfigFile(url: config), weights: Weights(manifest: manifest))
        return manifest.entries
    }

    init(config file: ConfigFile, weights: Weights) throws(ModelLoadError) {
        config = try CLIPTextConfig(file)
        // Some exports prefix every tensor with "text_model.".
        let root = weights.has("embeddings.token_embedding.weight") ? weights : weights.scoped("text_model")
        let width = config.hiddenSize
        tokenEmbedding = try root.tensor("embeddings.token_embedding.weight", shape: [config.vocabularySize, width])
        positionEmbedding = try root.tensor("embeddings.position_embedding.weight", shape: [config.maxPositions, width])
        let config = self.config
        layers = try (0..<config.layers).map { index throws(ModelLoadError) in
            try CLIPEncoderLayer(root.scoped("encoder.layers.\(index)"), config: config)
        }
        finalNorm = try LayerNormLayer(root, "final_layer_norm", width: width, eps: config.layerNormEps)
    }

    /// last_hidden_state [1, N, hidden] for one sequence of token ids (N ≤ max_position_embeddings).
    public func encode(inputIDs: [Int]) throws -> Tensor {
        try encode(batch: [inputIDs])
    }

    /// last_hidden_state [B, N, hidden] for sequences of equal length.
    public func encode(batch: [[Int]]) throws -> Tensor {
        let length = batch.first?.count ?? 0
        guard length > 0, length <= config.maxPositions, batch.allSatisfy({ $0.count == length }) else {
            throw ModelLoadError.invalidInput(model: "CLIPTextModel",
                reason: "token sequences must be non-empty, of equal length and at most \(config.maxPositions) long")
        }
        if let bad = batch.joined().first(where: { $0 < 0 || $0 >= config.vocabularySize }) {
            throw ModelLoadError.invalidInput(model: "CLIPTextModel", reason: "token id \(bad) is outside the vocabulary of \(config.vocabularySize)")
        }
        let width = config.hiddenSize
        let positions = try positionEmbedding.values()
        var data = [Float](repeating: 0, count: batch.count * length * width)
        for (b, ids) in batch.enumerated() {
            for (p, id) in ids.enumerated() {
                let row = (b * length + p) * width
                let token = try tokenEmbedding.row(id)
                for i in 0..<width { data[row + i] = token[i] + positions[p * width + i] }
            }
        }
        var hidden = Tensor(shape: [batch.count, length, width], data: data)
        for layer in layers { hidden = try layer(hidden) }
        return try finalNorm(hidden)
    }
}
