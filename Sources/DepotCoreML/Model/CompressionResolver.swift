import DepotFormats

extension WeightGraph {
    /// The compression a constexpr op applies, from its type and its inputs' types.
    func compression(of operation: MILOperation) -> WeightCompression? {
        switch operation.type {
        case "constexpr_lut_to_dense":
            // iOS16: a 1-D lut of 2^n entries and uint8-packed indices; iOS18: lut [..., 2^n, vector size] and uintN indices.
            if let shape = type(of: operation, input: "lut")?.knownShape, !shape.isEmpty {
                let entries = shape.count == 1 ? shape[0] : shape[shape.count - 2]
                if entries > 1, entries & (entries - 1) == 0 { return .palettized(bits: entries.trailingZeroBitCount) }
            }
            return type(of: operation, input: "indices")?.dataType?.bitsPerElement.map { .palettized(bits: $0) }
        case "constexpr_affine_dequantize":
            return .affine(bits: type(of: operation, input: "quantized_data")?.dataType?.bitsPerElement ?? 8)
        case "constexpr_blockwise_shift_scale":
            return .affine(bits: type(of: operation, input: "data")?.dataType?.bitsPerElement ?? 8)
        case "constexpr_sparse_to_dense":
            return .sparse
        default:
            return nil
        }
    }
}
