import DepotPull
import DepotRegistry

/// Where an installed Core ML version keeps the compiled models of one attention variant.
struct CompiledModelSource: CustomStringConvertible {
    /// The repo folder, e.g. `split_einsum/compiled`.
    let folder: String
    /// Installed files under it, with paths relative to it.
    let files: [(relative: String, file: ModelDetails.File)]

    var description: String { folder }

    /// Variant folders in the order depot prefers them when nothing names one.
    static let preferredFolders = ["split_einsum", "split_einsum_v2", "original"]

    static func locate(in version: ModelDetails.Version, name: String, variant: RegistryVariant?, requested: String?) throws -> CompiledModelSource {
        let wanted = variant?.folder ?? requested.map { $0.replacingOccurrences(of: "-", with: "_") }
        let candidates = wanted.map { [$0] } ?? preferredFolders
        for folder in candidates {
            let source = CompiledModelSource(folder: "\(folder)/compiled", version: version)
            if !source.files.isEmpty { return source }
        }
        let folder = candidates[0]
        let packages = Set(version.files.compactMap { file -> String? in
            guard file.path.hasPrefix("\(folder)/packages/") else { return nil }
            return file.path.split(separator: "/").first { $0.hasSuffix(".mlpackage") }.map(String.init)
        }).sorted()
        if !packages.isEmpty { throw BundleError.packagesOnly(name: name, packages: packages) }
        let available = preferredFolders.filter { !CompiledModelSource(folder: "\($0)/compiled", version: version).files.isEmpty }
        if !available.isEmpty, wanted != nil { throw BundleError.variantNotInRepo(name: name, folder: folder, available: available) }
        throw BundleError.noCompiledModels(name: name, folder: folder)
    }

    private init(folder: String, version: ModelDetails.Version) {
        self.folder = folder
        let prefix = folder + "/"
        files = version.files.compactMap { file in
            guard file.path.hasPrefix(prefix) else { return nil }
            let relative = String(file.path.dropFirst(prefix.count))
            guard let top = relative.split(separator: "/").first, top.hasSuffix(".mlmodelc") else { return nil }
            return (relative, file)
        }
    }

    func plannedFiles(model: Int) -> [PlannedFile] {
        files.map { PlannedFile(destination: $0.relative, source: $0.file.blob, size: $0.file.size, sha256: $0.file.sha256, model: model) }
    }
}
