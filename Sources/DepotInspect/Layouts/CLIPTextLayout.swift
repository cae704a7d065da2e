/// The tensors of transformers' CLIPTextModel and CLIPTextModelWithProjection for a config.json.
public enum CLIPTextLayout {
    /// `prefix` is "text_model." for exports that nest the transformer (most Hub repos) or "" for
    /// flat ones; the projection of the WithProjection variant sits outside it.
    public static func expectedTensors(_ config: ComponentConfig, withProjection: Bool, prefix: String) throws(ConfigError) -> ExpectedTensors {
        let hidden = try config.int("hidden_size", default: 512)
        let intermediate = try config.int("intermediate_size", default: 2048)
        let layers = try config.int("num_hidden_layers", default: 12)
        let heads = try config.int("num_attention_heads", default: 8)
        let vocabulary = try config.int("vocab_size", default: 49408)
        let positions = try config.int("max_position_embeddings", default: 77)
        guard hidden > 0, heads > 0, hidden % heads == 0 else {
            throw .invalid(file: config.file, key: "hidden_size", reason: "\(hidden) is not divisible into \(heads) attention heads")
        }
        var tensors = ExpectedTensors()
        tensors.add("\(prefix)embeddings.token_embedding.weight", [vocabulary, hidden])
        tensors.add("\(prefix)embeddings.position_embedding.weight", [positions, hidden])
        // A buffer that transformers before 4.31 saved with the weights.
        tensors.addOptional("\(prefix)embeddings.position_ids", [1, positions])
        for layer in 0..<layers {
            let block = "\(prefix)encoder.layers.\(layer)"
            for projection in ["k_proj", "v_proj", "q_proj", "out_proj"] {
                tensors.linear("\(block).self_attn.\(projection)", in: hidden, out: hidden)
            }
            tensors.norm("\(block).layer_norm1", channels: hidden)
            tensors.linear("\(block).mlp.fc1", in: hidden, out: intermediate)
            tensors.linear("\(block).mlp.fc2", in: intermediate, out: hidden)
            tensors.norm("\(block).layer_norm2", channels: hidden)
        }
        tensors.norm("\(prefix)final_layer_norm", channels: hidden)
        if withProjection {
            tensors.linear("text_projection", in: hidden, out: try config.int("projection_dim", default: 512), bias: false)
        }
        return tensors
    }
}
