import DepotPull
import Foundation

extension Bundler {
    /// What `--t5` adds to an SD3 bundle: TextEncoderT5.mlmodelc (from `t5EncoderName` unless the
    /// model ships its own) and google-t5/t5-small's tokenizer files, each source recorded in `models`.
    func t5Files(encoderShipped: Bool, models: inout [BundleManifest.Model],
                 events: @escaping @Sendable (BundleEvent) -> Void) async throws -> [PlannedFile] {
        var files: [PlannedFile] = []
        if !encoderShipped {
            let (entry, source) = try await addition(t5EncoderName, role: "t5-encoder", variantFolder: nil, models: &models, events: events)
            files = source.renamed([ResourceNames.textEncoderT5: ResourceNames.textEncoderT5], model: models.count - 1)
            guard !files.isEmpty else { throw BundleError.t5EncoderMissing(name: entry.name) }
        }
        let (details, version) = try await installedVersion(of: try service.resolve(t5TokenizerName), events: events)
        models.append(BundleManifest.Model(name: details.name, repo: details.repo, revision: version.revision, commit: version.commit,
                                           role: "t5-tokenizer", source: "/"))
        for name in [ResourceNames.t5Tokenizer, ResourceNames.t5TokenizerConfig] {
            guard let file = version.files.first(where: { $0.path == name }) else {
                throw BundleError.t5TokenizerFileMissing(name: details.name, file: name)
            }
            files.append(PlannedFile(destination: name, source: file.blob, size: file.size, sha256: file.sha256, model: models.count - 1))
        }
        return files
    }
}
