extension Tensor {
    /// y = x · Wᵀ + b over the last dimension; `weight` is [out, in] as PyTorch stores it.
    public func linear(weight: Tensor, bias: [Float]?) -> Tensor {
        precondition(weight.shape.count == 2, "linear weight must be 2-D, got \(weight.shape)")
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        precondition(shape.last == inFeatures, "linear expects last dimension \(inFeatures), got \(shape)")
        let rows = count / inFeatures
        let outShape = Array(shape.dropLast()) + [outFeatures]
        return Tensor.uninitialized(outShape) { out in
            let output = out.baseAddress!
            if let bias {
                precondition(bias.count == outFeatures, "linear bias has \(bias.count) values, expected \(outFeatures)")
                for row in 0..<rows { (output + row * outFeatures).update(from: bias, count: outFeatures) }
            }
            data.withUnsafeBufferPointer { x in
                weight.data.withUnsafeBufferPointer { w in
                    BLAS.sgemm(transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                               a: x.baseAddress!, lda: inFeatures, b: w.baseAddress!, ldb: inFeatures,
                               beta: bias == nil ? 0 : 1, c: output, ldc: outFeatures)
                }
            }
        }
    }
}
