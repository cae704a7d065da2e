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

    /// The same product with a float16 [out, in] weight read in place (HalfWeightProduct), as
    /// yᵀ = W · xᵀ: the few rows of x become the product's columns.
    func linear(halfWeight: UnsafeRawPointer, outFeatures: Int, bias: [Float]?) -> Tensor {
        let inFeatures = shape.last!
        let rows = count / inFeatures
        if let bias { precondition(bias.count == outFeatures, "linear bias has \(bias.count) values, expected \(outFeatures)") }
        var transposedOutput = [Float](unsafeUninitializedCapacity: outFeatures * rows) { buffer, initialized in
            if let bias {
                for o in 0..<outFeatures { (buffer.baseAddress! + o * rows).initialize(repeating: bias[o], count: rows) }
            }
            data.withUnsafeBufferPointer { x in
                let transposedInput = Self.transpose(x.baseAddress!, rows: rows, columns: inFeatures)
                transposedInput.withUnsafeBufferPointer { xt in
                    HalfWeightProduct.multiply(weight: halfWeight, m: outFeatures, k: inFeatures, x: xt.baseAddress!, ldx: rows, n: rows,
                                               c: buffer.baseAddress!, ldc: rows, accumulate: bias != nil)
                }
            }
            initialized = outFeatures * rows
        }
        let output = transposedOutput.withUnsafeMutableBufferPointer { Self.transpose($0.baseAddress!, rows: outFeatures, columns: rows) }
        return Tensor(shape: Array(shape.dropLast()) + [outFeatures], data: output)
    }

    /// [rows, columns] -> [columns, rows], in 16x16 tiles so reads and writes both stay within a
    /// few cache lines at a time.
    static func transpose(_ source: UnsafePointer<Float>, rows: Int, columns: Int) -> [Float] {
        let tile = 16
        return [Float](unsafeUninitializedCapacity: rows * columns) { buffer, initialized in
            let target = buffer.baseAddress!
            for firstRow in Swift.stride(from: 0, to: rows, by: tile) {
                let rowEnd = min(rows, firstRow + tile)
                for firstColumn in Swift.stride(from: 0, to: columns, by: tile) {
                    let columnEnd = min(columns, firstColumn + tile)
                    for c in firstColumn..<columnEnd {
                        for r in firstRow..<rowEnd { target[c * rows + r] = source[r * columns + c] }
                    }
                }
            }
            initialized = rows * columns
        }
    }
}
