import Foundation

/// The structural verification of a model folder or file: headers, shapes, configs and their
/// agreement, without hashing and without reading tensor data (only safetensors headers are
/// touched). `depot verify --deep` runs it after re-hashing; the pull can run it after every download.
public enum StructuralCheck {
    public struct Report: Sendable, Codable, Equatable {
        /// "diffusers", "safetensors" (loose files), "coreml", "safetensors+coreml", or "none" when the folder holds nothing depot checks.
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

    /// Folders without model_index.json (single-file checkpoints, Core ML repos): every safetensors
    /// file and shard index anywhere below, each on its own, every Core ML model, and every folder
    /// of Core ML models as a resource folder.
    private static func looseSafetensors(in root: URL) -> Report {
        var folders: [String] = []
        var models: [String] = []
        if let walker = FileManager.default.enumerator(atPath: root.path) {
            while let relative = walker.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") { walker.skipDescendants(); continue }
                if name.hasSuffix(".mlmodelc") || name.hasSuffix(".mlpackage") { models.append(relative); walker.skipDescendants(); continue }
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
            let (sets, orphans) = WeightSet.discover(in: url)
            findings += orphans.map { .orphanShard(prefix + $0) }
            for set in sets {
                let loaded = LoadedWeights(set, folder: url, displayPrefix: prefix)
                files += loaded.files.map(\.path) + (set.index.map { [prefix + $0] } ?? [])
                findings += loaded.findings
            }
        }
        var kinds = files.isEmpty ? [] : ["safetensors"]
        if CoreMLCheck.isModel(root) { models = [""] }
        if !models.isEmpty {
            kinds.append("coreml")
            findings += coreMLFindings(root: root, models: models.sorted())
            files += models.sorted().map { $0.isEmpty ? root.lastPathComponent : $0 }
        }
        return Report(kind: kinds.isEmpty ? "none" : kinds.joined(separator: "+"), filesChecked: files.sorted(), findings: findings)
    }

    /// Each model opened with every check; folders holding two or more models cross-checked.
    private static func coreMLFindings(root: URL, models: [String]) -> [Finding] {
        var findings: [Finding] = []
        for model in models {
            let url = model.isEmpty ? root : root.appendingPathComponent(model, isDirectory: true)
            findings += CoreMLCheck.model(url, display: model.isEmpty ? root.lastPathComponent : model).1
        }
        guard !findings.hasErrors else { return findings }
        for folder in Set(models.map { ($0 as NSString).deletingLastPathComponent }).sorted() {
            let url = folder.isEmpty ? root : root.appendingPathComponent(folder, isDirectory: true)
            guard CoreMLCheck.models(in: url).count >= 2 else { continue }
            findings += CoreMLCheck.resourceFolder(url, display: folder.isEmpty ? "." : folder).1
        }
        return findings
    }

    /// Folders below `root` (a few levels deep) that directly hold Core ML models.
    public static func coreMLFolders(below root: URL) -> [URL] {
        var result: [URL] = []
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]) else { return [] }
        while let url = walker.nextObject() as? URL {
            if walker.level > 4 || url.lastPathComponent.hasPrefix(".") { walker.skipDescendants(); continue }
            if url.pathExtension == "mlmodelc" || url.pathExtension == "mlpackage" {
                let parent = url.deletingLastPathComponent()
                let folder = parent.lastPathComponent == "controlnet" ? parent.deletingLastPathComponent() : parent
                if !result.contains(folder) { result.append(folder) }
                walker.skipDescendants()
            }
        }
        return result.sorted { $0.path < $1.path }
    }
}
