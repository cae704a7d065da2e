import DepotFormats
import Foundation

/// `depot inspect`: decides what a path holds and builds its report, findings included.
public enum ModelInspector {
    public static func inspect(_ url: URL, statistics: StatisticsPolicy = .default) throws(InspectError) -> InspectReport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { throw .notFound(path: url.path) }
        if !isDirectory.boolValue {
            guard url.pathExtension == "safetensors" else { throw .unsupported(path: url.path) }
            return safetensorsFile(url, statistics: statistics)
        }
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("model_index.json").path) {
            return diffusersFolder(url, statistics: statistics)
        }
        if CoreMLCheck.isModel(url) { return CoreMLReports.model(url, statistics: statistics) }
        if !CoreMLCheck.models(in: url).isEmpty { return CoreMLReports.resourceFolder(url, statistics: statistics) }
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path),
           !WeightSet.discover(in: url).sets.isEmpty {
            return componentFolder(url, statistics: statistics)
        }
        // Apple's Core ML repos keep their resource folders deeper (split_einsum/compiled/...).
        let folders = StructuralCheck.coreMLFolders(below: url)
        let compiled = folders.filter { CoreMLCheck.models(in: $0).contains { $0.pathExtension == "mlmodelc" } }
        if let only = (compiled.count == 1 ? compiled : folders).first, compiled.count == 1 || folders.count == 1 {
            return CoreMLReports.resourceFolder(only, statistics: statistics)
        }
        if !folders.isEmpty {
            throw .ambiguous(path: url.path, candidates: folders.map { String($0.path.dropFirst(url.path.count + 1)) })
        }
        throw .unsupported(path: url.path)
    }

    static func safetensorsFile(_ url: URL, statistics: StatisticsPolicy) -> InspectReport {
        let set = WeightSet(variant: nil, index: nil, files: [url.lastPathComponent])
        let loaded = LoadedWeights(set, folder: url.deletingLastPathComponent(), displayPrefix: "")
        return InspectReport(kind: "safetensors", path: url.path, weights: SafetensorsRows.weights(loaded, prefix: "", statistics: statistics),
                             blobs: SafetensorsRows.blobs(loaded), findings: loaded.findings)
    }

    /// A single component folder (unet/ alone): its config names the class.
    static func componentFolder(_ url: URL, statistics: StatisticsPolicy) -> InspectReport {
        let className = (try? ComponentConfig(url: url.appendingPathComponent("config.json"), displayName: "config.json"))
            .flatMap { config in (try? config.string("_class_name")).flatMap { $0 } ?? (try? config.strings("architectures", default: []))?.first } ?? "unknown"
        let root = url.deletingLastPathComponent()
        let check = ComponentCheck(name: url.lastPathComponent, className: className, root: root)
        let loaded = check.primary
        return InspectReport(kind: "diffusers-component", path: url.path, architecture: className,
                             components: [summary(check)],
                             weights: loaded.map { SafetensorsRows.weights($0, prefix: "", statistics: statistics) } ?? [],
                             blobs: loaded.map(SafetensorsRows.blobs) ?? [], findings: check.findings)
    }

    static func diffusersFolder(_ url: URL, statistics: StatisticsPolicy) -> InspectReport {
        let check = DiffusersFolderCheck(root: url)
        var weights: [WeightSummary] = []
        var blobs: [BlobSummary] = []
        for component in check.components {
            guard let loaded = component.primary else { continue }
            weights += SafetensorsRows.weights(loaded, prefix: "\(component.name)/", statistics: statistics)
            blobs += SafetensorsRows.blobs(loaded)
        }
        return InspectReport(kind: "diffusers", path: url.path, architecture: check.index?.pipelineClass,
                             resolution: resolution(check), components: check.components.map(summary),
                             weights: weights, blobs: blobs, findings: check.findings)
    }

    static func summary(_ check: ComponentCheck) -> InspectReport.ComponentSummary {
        InspectReport.ComponentSummary(name: check.name, className: check.className, variant: check.primary?.set.variant,
                                       variants: check.weightSets.map { $0.set.variant ?? "default" },
                                       files: check.primary?.files.map(\.path) ?? [])
    }

    /// The UNet's latent size times the VAE's downscaling (2 per extra VAE block).
    static func resolution(_ check: DiffusersFolderCheck) -> String? {
        guard let unet = check.component("unet")?.config, let vae = check.component("vae")?.config,
              let latent = try? unet.optionalInt("sample_size"),
              let blocks = try? vae.ints("block_out_channels", default: [64]), !blocks.isEmpty else { return nil }
        let size = latent << (blocks.count - 1)
        return "\(size)x\(size)"
    }
}

public enum InspectError: Error, Equatable, CustomStringConvertible {
    case notFound(path: String)
    case unsupported(path: String)
    case ambiguous(path: String, candidates: [String])

    public var description: String {
        switch self {
        case let .notFound(path):
            "\(path) does not exist; give a model folder, a .safetensors file, a Core ML model or an installed model's name"
        case let .ambiguous(path, candidates):
            "\(path) holds several Core ML resource folders (\(candidates.joined(separator: ", "))); inspect one of them by path"
        case let .unsupported(path):
            "\(path) is not a model depot can inspect: expected a .safetensors file, a diffusers folder (model_index.json), a component folder (config.json + safetensors) or a Core ML .mlmodelc/.mlpackage/resource folder"
        }
    }
}
