import DepotPull
import DepotRegistry
import Foundation

/// Where an installed Core ML version keeps the compiled models of one attention variant: its
/// `{variant}/compiled/` folder, the root `*_{variant}_compiled.zip` extracted, or, for repos
/// without variant folders (argmaxinc's T5 encoder), `.mlmodelc` folders at the repo root.
struct CompiledModelSource: CustomStringConvertible {
    /// The repo folder or archive, e.g. `split_einsum/compiled`; empty for the repo root.
    let origin: String
    /// The files, with destinations relative to the resource folder.
    let files: [PlannedFile]
    /// Whether an archive was extracted by this bundle (false when reused or not an archive).
    var extractedNow = false

    var description: String { origin.isEmpty ? "/" : origin }

    /// Variant folders in the order depot prefers them when nothing names one.
    static let preferredFolders = ["split_einsum", "split_einsum_v2", "original"]

    static func locate(in version: ModelDetails.Version, name: String, variant: RegistryVariant?, requested: String?,
                       archives: ExtractedArchives, events: @escaping @Sendable (BundleEvent) -> Void) async throws -> CompiledModelSource {
        let wanted = variant?.folder ?? requested.map { $0.replacingOccurrences(of: "-", with: "_") }
        let candidates = wanted.map { [$0] } ?? preferredFolders
        for folder in candidates {
            let source = CompiledModelSource(folder: "\(folder)/compiled", version: version)
            if !source.files.isEmpty { return source }
        }
        for folder in candidates {
            if let zip = version.files.first(where: { !$0.path.contains("/") && $0.path.hasSuffix("_\(folder)_compiled.zip") }) {
                return try await fromArchive(zip, archives: archives, name: name, events: events)
            }
        }
        let root = CompiledModelSource(folder: "", version: version)
        if !root.files.isEmpty { return root }
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
        origin = folder
        let prefix = folder.isEmpty ? "" : folder + "/"
        files = version.files.compactMap { file in
            guard file.path.hasPrefix(prefix) else { return nil }
            let relative = String(file.path.dropFirst(prefix.count))
            guard let top = relative.split(separator: "/").first, top.hasSuffix(".mlmodelc") else { return nil }
            return PlannedFile(destination: relative, source: file.blob, size: file.size, sha256: file.sha256, model: 0)
        }
    }

    /// The top-level models (`Unet.mlmodelc`...) the source holds.
    var modelNames: [String] {
        Set(files.compactMap { $0.destination.split(separator: "/").first.map(String.init) }).sorted()
    }

    /// The files with their top-level model folder renamed (`Unet.mlmodelc` -> `UnetRefiner.mlmodelc`) and
    /// attributed to `model`; files of models not in `renames` are dropped.
    func renamed(_ renames: [String: String], model: Int) -> [PlannedFile] {
        files.compactMap { file in
            guard let slash = file.destination.firstIndex(of: "/"), let target = renames[String(file.destination[..<slash])] else { return nil }
            var moved = file
            moved.destination = target + file.destination[slash...]
            moved.model = model
            return moved
        }
    }

    private init(origin: String, files: [PlannedFile], extractedNow: Bool) {
        self.origin = origin
        self.files = files
        self.extractedNow = extractedNow
    }

    /// The archive's models, from the level of the archive that holds the .mlmodelc folders.
    private static func fromArchive(_ zip: ModelDetails.File, archives: ExtractedArchives, name: String,
                                    events: @escaping @Sendable (BundleEvent) -> Void) async throws -> CompiledModelSource {
        let extraction = try await archives.extraction(of: zip.blob, sha256: zip.sha256,
                                                       onWait: { events(.waitingForExtraction(archive: zip.path)) },
                                                       onExtract: { events(.extracting(archive: zip.path, bytes: zip.size)) })
        let files: [PlannedFile] = extraction.files.compactMap { file in
            let parts = file.path.split(separator: "/")
            guard let index = parts.firstIndex(where: { $0.hasSuffix(".mlmodelc") }) else { return nil }
            return PlannedFile(destination: parts[index...].joined(separator: "/"), source: extraction.folder + "/" + file.path,
                               size: file.size, sha256: file.sha256, model: 0)
        }
        guard !files.isEmpty else { throw BundleError.noCompiledModels(name: name, folder: zip.path) }
        return CompiledModelSource(origin: zip.path, files: files, extractedNow: !extraction.reused)
    }
}
