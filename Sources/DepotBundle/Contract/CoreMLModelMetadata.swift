import Foundation

/// What a compiled model's metadata.json says about it: its inputs and outputs and its op histogram.
public struct CoreMLModelMetadata: Sendable, Equatable {
    public struct Feature: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
    }

    public var inputs: [Feature]
    public var outputs: [Feature]
    public var operationHistogram: [String: Int]

    /// The attention implementation the ops show: `Ios16.einsum` marks split_einsum; attention done
    /// with matmul/softmax but no einsum marks original; nil when the model has no attention ops.
    public var attention: AttentionVariant? {
        let ops = Set(operationHistogram.keys.map { $0.lowercased() })
        if ops.contains(where: { $0.hasSuffix("einsum") }) { return .splitEinsum }
        if ops.contains(where: { $0.hasSuffix("matmul") || $0.hasSuffix("softmax") }) { return .original }
        return nil
    }

    public func input(_ name: String) -> Feature? { inputs.first { $0.name == name } }

    /// Reads `model.mlmodelc/metadata.json` (a one-element array).
    public static func read(modelFolder: URL) throws(BundleCheckFailure) -> CoreMLModelMetadata {
        let file = modelFolder.appendingPathComponent("metadata.json")
        guard let data = try? Data(contentsOf: file) else { throw .unreadable(file.path, reason: "it is missing or unreadable") }
        guard let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]], let top = array.first else {
            throw .unreadable(file.path, reason: "it is not a JSON array holding one model description")
        }
        return CoreMLModelMetadata(inputs: features(top["inputSchema"]), outputs: features(top["outputSchema"]),
                                   operationHistogram: (top["mlProgramOperationTypeHistogram"] as? [String: Any] ?? [:])
                                       .compactMapValues { ($0 as? NSNumber)?.intValue })
    }

    private static func features(_ value: Any?) -> [Feature] {
        (value as? [[String: Any]] ?? []).compactMap { entry in
            guard let name = entry["name"] as? String else { return nil }
            let shapeText = entry["shape"] as? String ?? "[]"
            let dims = shapeText.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            return Feature(name: name, shape: dims)
        }
    }
}

/// Apple's attention implementations; the repo folder names them.
public enum AttentionVariant: String, Sendable, Codable {
    case original
    case splitEinsum = "split_einsum"
}
