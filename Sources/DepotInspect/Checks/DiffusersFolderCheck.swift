import Foundation

/// A diffusers pipeline folder: model_index.json, every component it names, and the components'
/// agreement with each other.
public struct DiffusersFolderCheck: Sendable {
    public var index: ModelIndex?
    public var components: [ComponentCheck] = []
    /// Single-file checkpoints at the root (e.g. v1-5-pruned.safetensors), checked as safetensors.
    public var rootWeights: [LoadedWeights] = []
    public var findings: [Finding] = []

    public init(root: URL) {
        do {
            index = try ModelIndex(url: root.appendingPathComponent("model_index.json"))
        } catch {
            findings.append(Finding(file: "model_index.json", message: error.description))
            return
        }
        guard let index else { return }
        // Sorted names put text_encoder* before tokenizer*, so a tokenizer is checked against its encoder's config.
        for component in index.components {
            let folder = root.appendingPathComponent(component.name, isDirectory: true)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                findings.append(Finding(file: "\(component.name)/", subject: "model_index.json", expected: "a folder for \(component.className)",
                                        found: "no such folder", message: "a component model_index.json names is missing; pull the model again"))
                continue
            }
            switch component.className {
            case _ where component.className.hasSuffix("Tokenizer") || component.className.hasSuffix("TokenizerFast"):
                let encoder = "text_encoder" + component.name.dropFirst("tokenizer".count)
                let size = components.first { $0.name == encoder }?.config.flatMap { try? $0.int("vocab_size", default: 49408) }
                findings += TokenizerCheck.check(name: component.name, root: root, vocabularySize: size, encoder: encoder)
            case _ where component.className.hasSuffix("Scheduler"):
                findings += Self.jsonFile("\(component.name)/scheduler_config.json", root: root)
            case "CLIPImageProcessor", "CLIPFeatureExtractor":
                findings += Self.jsonFile("\(component.name)/preprocessor_config.json", root: root)
            default:
                let check = ComponentCheck(name: component.name, className: component.className, root: root)
                findings += check.findings
                components.append(check)
            }
        }
        findings += CrossComponentCheck(index: index, components: components).findings
        let (rootSets, orphans) = WeightSet.discover(in: root)
        findings += orphans.map { .orphanShard($0) }
        for set in rootSets {
            let loaded = LoadedWeights(set, folder: root, displayPrefix: "")
            findings += loaded.findings
            rootWeights.append(loaded)
        }
    }

    public func component(_ name: String) -> ComponentCheck? { components.first { $0.name == name } }

    private static func jsonFile(_ path: String, root: URL) -> [Finding] {
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
            return [Finding(file: path, expected: "the component's configuration", found: "no such file", message: "the component is incomplete; pull the model again")]
        }
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            return [Finding(file: path, message: "not a JSON object; pull the model again")]
        }
        return []
    }
}
