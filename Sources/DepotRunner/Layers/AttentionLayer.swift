/// Multi-head attention with q/k/v/out projections, as diffusers' Attention and CLIP's attention
/// name them (`to_q`... or `q_proj`...). Works on tokens [B, N, C].
struct AttentionLayer: Sendable {
    struct Names: Sendable {
        let query: String, key: String, value: String, output: String
        static let diffusers = Names(query: "to_q", key: "to_k", value: "to_v", output: "to_out.0")
        static let clip = Names(query: "q_proj", key: "k_proj", value: "v_proj", output: "out_proj")
    }

    let query: LinearLayer, key: LinearLayer, value: LinearLayer, output: LinearLayer
    let heads: Int

    /// `contextWidth` is the key/value input width (the query width for self-attention).
    init(_ weights: Weights, names: Names, width: Int, contextWidth: Int, heads: Int, headDim: Int,
         projectionBias: Bool) throws(ModelLoadError) {
        let inner = heads * headDim
        query = try LinearLayer(weights, names.query, in: width, out: inner, bias: projectionBias)
        key = try LinearLayer(weights, names.key, in: contextWidth, out: inner, bias: projectionBias)
        value = try LinearLayer(weights, names.value, in: contextWidth, out: inner, bias: projectionBias)
        output = try LinearLayer(weights, names.output, in: inner, out: width, bias: true)
        self.heads = heads
    }

    func callAsFunction(_ x: Tensor, context: Tensor? = nil, causal: Bool = false) throws -> Tensor {
        let source = context ?? x
        let (q, k, v) = (try query(x), try key(source), try value(source))
        let attended = OperationProfile.measure(.attention) { Tensor.attention(query: q, key: k, value: v, heads: heads, causal: causal) }
        return try output(attended)
    }
}
