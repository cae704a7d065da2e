import Foundation

/// metadata.json of an .mlmodelc: a one-element array describing the model as the compiler saw it.
public struct CompiledModelMetadata: Sendable, Equatable {
    public var inputs: [CoreMLFeature]
    public var outputs: [CoreMLFeature]
    /// Op type counts with the compiler's names ("Ios16.einsum", "Ios16.conv", ...).
    public var operationHistogram: [String: Int]
    /// "Mixed (Float16, Float32, Int32)", "Float16", ...
    public var computePrecision: String?
    public var storagePrecision: String?
    public var specificationVersion: Int?
    public var userDefinedMetadata: [String: String]
    public var generatedClassName: String?

    init(data: Data, file: String) throws(CoreMLError) {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .invalidMetadata(file: file, problem: "not JSON (\(error.localizedDescription))")
        }
        guard let array = root as? [Any], array.count == 1, let object = array[0] as? [String: Any] else {
            throw .invalidMetadata(file: file, problem: "expected a one-element array holding an object")
        }
        inputs = try Self.schema(object["inputSchema"], key: "inputSchema", file: file)
        outputs = try Self.schema(object["outputSchema"], key: "outputSchema", file: file)
        guard let histogram = (object["mlProgramOperationTypeHistogram"] ?? [String: Int]()) as? [String: Any] else {
            throw .invalidMetadata(file: file, problem: "mlProgramOperationTypeHistogram is not an object")
        }
        var counts: [String: Int] = [:]
        for (type, value) in histogram {
            guard let count = Self.integer(value) else {
                throw .invalidMetadata(file: file, problem: "mlProgramOperationTypeHistogram[\(type)] is not a count")
            }
            counts[type] = count
        }
        operationHistogram = counts
        computePrecision = object["computePrecision"] as? String
        storagePrecision = object["storagePrecision"] as? String
        specificationVersion = Self.integer(object["specificationVersion"] as Any)
        userDefinedMetadata = (object["userDefinedMetadata"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
        generatedClassName = object["generatedClassName"] as? String
    }

    private static func integer(_ value: Any) -> Int? {
        if let number = value as? NSNumber { return number.intValue }
        if let string = value as? String { return Int(string) }
        return nil
    }

    /// Entries {name, type, dataType, shape: "[1, 77]"}; shapes are strings in this file.
    private static func schema(_ value: Any?, key: String, file: String) throws(CoreMLError) -> [CoreMLFeature] {
        guard let entries = value as? [[String: Any]] else {
            throw .invalidMetadata(file: file, problem: "\(key) is missing or not an array of objects")
        }
        var features: [CoreMLFeature] = []
        for entry in entries {
            guard let name = entry["name"] as? String else { throw .invalidMetadata(file: file, problem: "an entry of \(key) has no name") }
            let shapeText = entry["shape"] as? String ?? "[]"
            let parts = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).split(separator: ",")
            var shape: [Int] = []
            for part in parts {
                guard let dimension = Int(part.trimmingCharacters(in: .whitespaces)) else {
                    throw .invalidMetadata(file: file, problem: "\(key) \(name): shape \"\(shapeText)\" is not a list of integers")
                }
                shape.append(dimension)
            }
            features.append(CoreMLFeature(name: name, kind: entry["type"] as? String ?? "MultiArray",
                                          dataType: entry["dataType"] as? String, shape: shape))
        }
        return features
    }
}
