/// One pre-norm transformer layer of the CLIP text encoder.
struct CLIPEncoderLayer: Sendable {
    let norm1: LayerNormLayer, attention: AttentionLayer
    let norm2: LayerNormLayer, fc1: LinearLayer, fc2: LinearLayer
    let activation: Activation

    init(_ weights: Weights, config: CLIPTextConfig) throws(ModelLoadError) {
        let width = config.hiddenSize
        norm1 = try LayerNormLayer(weights, "layer_norm1", width: width, eps: config.layerNormEps)
        attention = try AttentionLayer(weights.scoped("self_attn"), names: .clip, width: width, contextWidth: width,
                                       heads: config.attentionHeads, headDim: width / config.attentionHeads, projectionBias: true)
        norm2 = try LayerNormLayer(weights, "layer_norm2", width: width, eps: config.layerNormEps)
        fc1 = try LinearLayer(weights, "mlp.fc1", in: width, out: config.intermediateSize)
        fc2 = try LinearLayer(weights, "mlp.fc2", in: config.intermediateSize, out: width)
        activation = config.hiddenAct
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let attended = x + (try attention(try norm1(x), causal: true))
        return attended + (try fc2(try fc1(try norm2(attended)).applying(activation)))
    }
}
