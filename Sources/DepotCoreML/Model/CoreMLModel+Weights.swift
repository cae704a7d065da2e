import DepotFormats

/// How a Stable Diffusion model computes attention, as Apple's converter writes it.
public enum AttentionImplementation: String, Sendable {
    /// SPLIT_EINSUM: attention as einsum ops over split heads (for the Neural Engine).
    case splitEinsum = "split_einsum"
    /// ORIGINAL: attention as batched matmuls.
    case original
}

extension CoreMLModel {
    /// One row per logical weight, in program order. Statistics come from the dense values for
    /// weights of at most `statisticsLimit` elements; larger ones keep them nil.
    public func weights(statisticsLimit: Int = 0) -> [WeightSummary] {
        graph.roots.compactMap { name in
            guard let source = graph.sources[name] else { return nil }
            var summary: WeightSummary
            switch source {
            case .blob(let index):
                let blob = graph.blobs[index]
                summary = WeightSummary(name: name, dtype: blob.dataType.rawValue, shape: blob.shape,
                                        bytes: Int(blob.record.sizeInBytes))
            case .constexpr(let operation):
                guard let output = operation.outputs.first else { return nil }
                summary = WeightSummary(name: name, dtype: output.type.dataType?.rawValue ?? "unknown",
                                        shape: output.type.knownShape ?? [], bytes: graph.storedBytes(of: source),
                                        compression: graph.compression(of: operation))
            case .immediate:
                return nil
            }
            if summary.elementCount <= statisticsLimit, let statistics = statistics(of: source) {
                summary.uniqueValues = statistics.uniqueValues
                summary.sparsity = statistics.sparsity
            }
            return summary
        }
    }

    /// Statistics of each blob's stored values (indices, luts, masks and scales as stored, not the dense
    /// weight): what coremltools' get_weights_metadata reports for a program's consts. Blobs over
    /// `limit` elements and dtypes without a decoder (fp8) are left out.
    public func blobStatistics(limit: Int = .max) -> [String: ValueStatistics] {
        var result: [String: ValueStatistics] = [:]
        for (index, blob) in graph.blobs.enumerated() where blob.shape.reduce(1, *) <= limit {
            result[blob.name] = statistics(of: .blob(index))
        }
        return result
    }

    /// Blobs of plain numbers are counted from their stored bytes; compressed weights and sub-byte
    /// blobs are decoded to dense values first.
    private func statistics(of source: WeightGraph.Source) -> ValueStatistics? {
        if case .blob(let index) = source, let element = graph.blobs[index].record.dataType.storedElement {
            let blob = graph.blobs[index]
            return weightFiles[blob.file]?.withData(of: blob.record) {
                ValueStatistics(stored: $0, as: element, count: blob.shape.reduce(1, *))
            }
        }
        return DenseWeightDecoder(graph: graph, files: weightFiles).values(of: source).map(ValueStatistics.init)
    }

    /// split_einsum when einsum ops appear, original when attention uses matmul; nil for a model without attention.
    public var attentionImplementation: AttentionImplementation? {
        let types = operationHistogram.keys.map { $0.lowercased() }
        if types.contains(where: { $0.hasSuffix("einsum") }) { return .splitEinsum }
        if types.contains(where: { $0.hasSuffix("softmax") }) { return .original }
        return nil
    }
}
