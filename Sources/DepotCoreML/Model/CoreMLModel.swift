import DepotFormats
import Foundation

/// One Core ML model on disk — a compiled `.mlmodelc` folder or an `.mlpackage` — read and checked.
///
/// `CoreMLModel(at:)` does every structural check that needs no weight values, so it is what
/// `depot verify --deep` runs per model:
/// - `.mlmodelc`: model.mil parsed (text MIL, both literal styles), metadata.json parsed,
///   coremldata.bin present and non-empty.
/// - `.mlpackage`: Manifest.json valid with every item path present; the ML program and the
///   input/output description decoded from Data/com.apple.CoreML/model.mlmodel (protobuf).
/// - both: every BLOBFILE reference resolves to a weight.bin record at that offset with the
///   sentinel, a known dtype equal to the declared one, size = elements × bits / 8 rounded up, and
///   its data inside the file; the weight files' record chains match their header counts.
/// Failures throw `CoreMLError`, naming the file, the weight and what was expected and found.
///
/// For reports (`depot inspect`):
/// - `inputs` / `outputs`: names, Core ML data types and shapes.
/// - `weights(statisticsLimit:)`: one `WeightSummary` per logical weight — a blob const, or the
///   outermost constexpr op of a compressed weight (palettized / affine / sparse, with bits) —
///   with its dense dtype and shape and the blob bytes it occupies. `uniqueValues` and `sparsity`
///   are computed from the dense values for weights of at most `statisticsLimit` elements
///   (`Int.max` for `--stats`, 0 for none).
/// - `blobs`: every blob record (name, dtype, shape, file, offset, size); `weightFiles`: the
///   files with their header counts.
/// - `operationHistogram`, `attentionImplementation`, `computePrecision`, `userDefinedMetadata`.
/// Resource folders (several models side by side) are checked by `CoreMLResourceFolder`.
public struct CoreMLModel: Sendable {
    public enum Format: String, Sendable {
        case compiled = "mlmodelc"
        case package = "mlpackage"
    }

    public let url: URL
    public let format: Format
    public let program: MILProgram
    public let inputs: [CoreMLFeature]
    public let outputs: [CoreMLFeature]
    /// metadata.json of a compiled model; nil for packages.
    public let compiledMetadata: CompiledModelMetadata?
    /// Model.proto's specificationVersion for packages; metadata.json's for compiled models.
    public let specificationVersion: Int?
    public let userDefinedMetadata: [String: String]
    /// The weight files the program references, by path relative to the model folder.
    public let weightFiles: [String: WeightFile]
    /// Each weight file's records (as many as its header declares), by the same paths.
    public let blobRecords: [String: [WeightBlobRecord]]
    let graph: WeightGraph

    /// The model's name without extension ("Unet", "Stable_Diffusion_version_tiny-sd1_unet").
    public var name: String { url.deletingPathExtension().lastPathComponent }

    public var blobs: [CoreMLBlob] { graph.blobs }

    /// Op counts: metadata.json's histogram for compiled models ("Ios16.einsum"), else counted from the program ("einsum").
    public var operationHistogram: [String: Int] { compiledMetadata?.operationHistogram ?? program.operationHistogram }

    public var computePrecision: String? { compiledMetadata?.computePrecision }

    public init(at url: URL) throws(CoreMLError) {
        switch url.pathExtension {
        case "mlmodelc": try self.init(compiledAt: url)
        case "mlpackage": try self.init(packageAt: url)
        default:
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("model.mil").path) {
                try self.init(compiledAt: url)
            } else if FileManager.default.fileExists(atPath: url.appendingPathComponent("Manifest.json").path) {
                try self.init(packageAt: url)
            } else {
                throw .notAModel(path: url.path)
            }
        }
    }

    init(url: URL, format: Format, program: MILProgram, modelFolder: URL, inputs: [CoreMLFeature], outputs: [CoreMLFeature],
         compiledMetadata: CompiledModelMetadata?, specificationVersion: Int?, userDefinedMetadata: [String: String]) throws(CoreMLError) {
        var files: [String: WeightFile] = [:]
        let modelName = url.lastPathComponent
        graph = try WeightGraph(program: program) { (name, type, reference) throws(CoreMLError) in
            let relative = try Self.relativeWeightPath(reference.path, weight: name, model: modelName)
            if files[relative] == nil {
                let fileURL = modelFolder.appendingPathComponent(relative)
                guard FileManager.default.fileExists(atPath: fileURL.path) else {
                    throw .missingFile(model: url.path, path: relative, purpose: "weight \(name) is stored there")
                }
                files[relative] = try WeightFile(url: fileURL)
            }
            return (relative, try files[relative]!.record(at: reference.offset, for: name, declared: type))
        }
        self.url = url
        self.format = format
        self.program = program
        self.inputs = inputs
        self.outputs = outputs
        self.compiledMetadata = compiledMetadata
        self.specificationVersion = specificationVersion
        self.userDefinedMetadata = userDefinedMetadata
        weightFiles = files
        // After the references, so that a damaged record is reported with the weight that uses it.
        var records: [String: [WeightBlobRecord]] = [:]
        for (path, file) in files { records[path] = try file.walkRecords() }
        blobRecords = records
    }

    /// "@model_path/weights/weight.bin" -> "weights/weight.bin", refusing paths that leave the model folder.
    private static func relativeWeightPath(_ path: String, weight: String, model: String) throws(CoreMLError) -> String {
        let prefix = "@model_path/"
        guard path.hasPrefix(prefix) else { throw .unresolvedWeightPath(weight: weight, path: path, model: model) }
        let relative = String(path.dropFirst(prefix.count))
        guard !relative.isEmpty, !relative.split(separator: "/").contains("..") else {
            throw .unresolvedWeightPath(weight: weight, path: path, model: model)
        }
        return relative
    }
}
