import Foundation

/// The structural verification of a model folder or file: headers, shapes, configs and their
/// agreement, without hashing and without reading tensor data (only safetensors headers are
/// touched). `depot verify --deep` runs it after re-hashing; the pull can run it after every download.
public enum StructuralCheck {
    public struct Report: Sendable, Codable, Equatable {
        /// "diffusers", "safetensors" (loose files) or "none" when the folder holds nothing depot checks.
        public var kind: String
        /// Files whose structure was checked (relative paths).
        public var filesChecked: [String]
        public var findings: [Finding]

        public var ok: Bool { !findings.hasErrors }

        enum CodingKeys: String, CodingKey {
            case kind, findings
            case filesChecked = "files_checked"
        }
    }

    public static func run(_ url: URL) -> Report {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            return Report(kind: "none", filesChecked: [], findings: [Finding(file: url.path, found: "no such file or folder", message: "nothing to check")])
        }
        if !isDirectory.boolValue {
            let loaded = LoadedWeights(WeightSet(variant: nil, index: nil, files: [url.lastPathComponent]),
                                       folder: url.deletingLastPathComponent(), displayPrefix: "")
            return Report(kind: "safetensors", filesChecked: [url.lastPathComponent], findings: loaded.findings)
        }
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("model_index.json").path) {
            let check = DiffusersFolderCheck(root: url)
            let files = (check.components.flatMap(\.weightSets) + check.rootWeights).flatMap { loaded in
                loaded.files.map(\.path) + (loaded.set.index.map { [Self.prefix(of: loaded) + $0] } ?? [])
            }
            return Report(kind: "diffusers", filesChecked: files.sorted(), findings: check.findings)
        }
        return looseSafetensors(in: url)
    }

    private static func prefix(of loaded: LoadedWeights) -> String {
        guard let first = loaded.files.first?.path, let slash = first.lastIndex(of: "/") else { return "" }
        return String(first[...slash])
    }

    /// Folders without model_index.json (single-file checkpoints, Core ML repos with safetensors
    /// next to them): every safetensors file and shard index anywhere below, each on its own.
    private static func looseSafetensors(in root: URL) -> Report {
        var folders: [String] = []
        if let walker = FileManager.default.enumerator(atPath: root.path) {
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                // Core ML bundles hold no safetensors; skipping them keeps the walk short.
                if name.hasSuffix(".mlmodelc") || name.hasSuffix(".mlpackage") || name.hasPrefix(".") { walker.skipDescendants(); continue }
                if name.hasSuffix(".safetensors") || (name.hasSuffix(".json") && name.contains(".safetensors.index")) {
                    let folder = (relative as NSString).deletingLastPathComponent
                    if !folders.contains(folder) { folders.append(folder) }
                }
            }
        }
        var files: [String] = []
        var findings: [Finding] = []
        for folder in folders.sorted() {
            let url = folder.isEmpty ? root : root.appendingPathComponent(folder, isDirectory: true)
            let prefix = folder.isEmpty ? "" : folder + "/"
            for set in WeightSet.discover(in: url).sets {
                let loaded = LoadedWeights(set, folder: url, displayPrefix: prefix)
                files += loaded.files.map(\.path) + (set.index.map { [prefix + $0] } ?? [])
                findings += loaded.findings
            }
        }
        return Report(kind: files.isEmpty ? "none" : "safetensors", filesChecked: files.sorted(), findings: findings)
    }
}
