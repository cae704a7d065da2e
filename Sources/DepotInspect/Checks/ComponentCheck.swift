import Foundation

/// One model component folder (unet/, vae/, text_encoder/...): its config.json and every weight
/// set in it, each checked as safetensors and against the tensors the config implies.
public struct ComponentCheck: Sendable {
    public var name: String
    public var className: String
    public var config: ComponentConfig?
    public var weightSets: [LoadedWeights] = []
    public var findings: [Finding] = []

    /// The set `depot inspect` reports: the default weights when present, else the first variant.
    public var primary: LoadedWeights? { weightSets.first { $0.set.variant == nil } ?? weightSets.first }

    /// `root` is the model folder; the component lives in root/name. `layout: false` checks the
    /// safetensors structure only (the fast check after a pull does the layout too: it reads headers only).
    public init(name: String, className: String, root: URL, checkLayout: Bool = true) {
        self.name = name
        self.className = className
        let folder = root.appendingPathComponent(name, isDirectory: true)
        let configFile = "\(name)/config.json"
        do {
            config = try ComponentConfig(url: folder.appendingPathComponent("config.json"), displayName: configFile)
        } catch {
            findings.append(Finding(file: configFile, message: error.description))
        }
        let (sets, orphans) = WeightSet.discover(in: folder)
        findings += orphans.map { .orphanShard("\(name)/\($0)") }
        if sets.isEmpty, orphans.isEmpty {
            findings.append(Self.noWeightsFinding(folder: folder, name: name))
        }
        let architecture = ModelArchitecture(rawValue: className)
        for set in sets {
            let loaded = LoadedWeights(set, folder: folder, displayPrefix: "\(name)/")
            findings += loaded.findings
            if checkLayout, let architecture, let config {
                findings += Self.layoutFindings(loaded, architecture: architecture, config: config, component: name)
            }
            weightSets.append(loaded)
        }
        if architecture == nil, !sets.isEmpty {
            findings.append(Finding(.warning, file: "\(name)/", subject: className, message: "depot does not model this class; its weights were checked as safetensors only"))
        }
    }

    private static func layoutFindings(_ loaded: LoadedWeights, architecture: ModelArchitecture, config: ComponentConfig, component: String) -> [Finding] {
        // A set whose files did not open has no tensors to compare; its findings say why.
        guard loaded.findings.errors.isEmpty || !loaded.tensors.isEmpty else { return [] }
        do {
            let expected = try architecture.expectedTensors(config, storedNames: loaded.tensors.keys)
            return TensorLayoutCheck.compare(loaded, expected: expected, component: component, aliases: architecture.aliases)
        } catch {
            if case .unsupported = error { return [Finding(.warning, file: error.file, message: error.description)] }
            return [Finding(file: error.file, message: error.description)]
        }
    }

    private static func noWeightsFinding(folder: URL, name: String) -> Finding {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        if names.contains(where: { $0.hasSuffix(".bin") || $0.hasSuffix(".ckpt") || $0.hasSuffix(".pt") }) {
            return Finding(.warning, file: "\(name)/", message: "only PyTorch pickle weights (.bin): depot checks safetensors only; pull the safetensors files to have them checked")
        }
        return Finding(file: "\(name)/", expected: "a .safetensors file or a sharded checkpoint with its index", found: "no weights",
                       message: "the component has no weights; pull the model again")
    }
}
