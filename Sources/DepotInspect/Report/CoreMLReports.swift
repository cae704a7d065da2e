import DepotCoreML
import DepotFormats
import Foundation

/// Inspect reports of Core ML models: one model, or a resource folder of models working together.
enum CoreMLReports {
    static func model(_ url: URL, statistics: StatisticsPolicy) -> InspectReport {
        let display = url.lastPathComponent
        let kind = "coreml-" + (url.pathExtension == "mlpackage" || FileManager.default.fileExists(atPath: url.appendingPathComponent("Manifest.json").path) ? "mlpackage" : "mlmodelc")
        let (opened, findings) = CoreMLCheck.model(url, display: display)
        guard let model = opened else { return InspectReport(kind: kind, path: url.path, weights: [], blobs: [], findings: findings) }
        return InspectReport(kind: kind, path: url.path, architecture: ResourceRole(modelName: model.name)?.rawValue,
                             attention: model.attentionImplementation?.rawValue, resolution: resolution(of: model),
                             weights: model.weights(statisticsLimit: limit(statistics)), blobs: blobs(of: model, prefix: ""),
                             findings: findings)
    }

    static func resourceFolder(_ url: URL, statistics: StatisticsPolicy) -> InspectReport {
        let (opened, findings) = CoreMLCheck.resourceFolder(url, display: url.lastPathComponent)
        guard let folder = opened else { return InspectReport(kind: "coreml-resources", path: url.path, weights: [], blobs: [], findings: findings) }
        var weights: [WeightSummary] = []
        var blobs: [BlobSummary] = []
        var components: [InspectReport.ComponentSummary] = []
        for (role, model) in folder.models.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let prefix = model.url.path.dropFirst(url.path.count + 1) + "/"
            weights += model.weights(statisticsLimit: limit(statistics)).map { row in
                var row = row
                row.name = prefix + row.name
                return row
            }
            blobs += Self.blobs(of: model, prefix: String(prefix))
            components.append(.init(name: role.rawValue, className: model.format == .compiled ? "mlmodelc" : "mlpackage", variant: nil,
                                    variants: [], files: model.weightFiles.keys.sorted().map { prefix + $0 }))
        }
        return InspectReport(kind: "coreml-resources", path: url.path, architecture: folder.architecture?.rawValue,
                             attention: folder.attentionImplementation?.rawValue, resolution: folder.models[.vaeDecoder].flatMap(resolution),
                             components: components, weights: weights, blobs: blobs, findings: findings)
    }

    private static func limit(_ statistics: StatisticsPolicy) -> Int { statistics.elementLimit ?? .max }

    private static func blobs(of model: CoreMLModel, prefix: String) -> [BlobSummary] {
        model.blobs.map { blob in
            BlobSummary(file: prefix + blob.file, offset: Int(blob.record.dataOffset), bytes: Int(blob.record.sizeInBytes),
                        dtype: blob.record.dataType.milName, tensors: 1)
        }
    }

    /// The image size a VAE decoder produces (its [1, 3, H, W] output); nil for other models.
    private static func resolution(of model: CoreMLModel) -> String? {
        guard ResourceRole(modelName: model.name) == .vaeDecoder, let image = model.outputs.first, image.shape.count == 4 else { return nil }
        return "\(image.shape[3])x\(image.shape[2])"
    }
}
