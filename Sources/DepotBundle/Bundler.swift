import DepotPull
import DepotRegistry
import Foundation

/// Builds the flat resource folder Apple's Stable Diffusion CLI loads from installed, verified
/// models: pulls what is missing, links (or copies) the compiled models and the CLIP tokenizer
/// files, checks the result against the contract, writes bundle.json, and renames it into place.
public struct Bundler: Sendable {
    public let service: DepotService
    /// The registry name of the CLIP BPE files every pipeline kind reads.
    public var tokenizerName = "clip-tokenizer"
    /// The registry name of the compiled T5 encoder `--t5` adds when the SD3 model has none.
    public var t5EncoderName = "coreml-sd3-t5-encoder"
    /// The registry name of google-t5/t5-small's tokenizer.json and tokenizer_config.json.
    public var t5TokenizerName = "t5-tokenizer"

    public init(service: DepotService) {
        self.service = service
    }

    /// Where root zips are extracted, recorded in the service's catalog.
    var archives: ExtractedArchives { ExtractedArchives(depotHome: service.config.depotHome, catalog: service.catalog) }

    public func bundle(_ request: BundleRequest, events: @escaping @Sendable (BundleEvent) -> Void = { _ in }) async throws -> BundleReport {
        let started = Date()
        let model = try resolveModel(request)
        let (details, version) = try await installedVersion(of: model, events: events)
        let source = try await CompiledModelSource.locate(in: version, name: details.name, variant: model.variant, requested: request.variant,
                                                         archives: archives, events: events)
        let tokenizer = try service.resolve(tokenizerName)
        let (tokenizerDetails, tokenizerVersion) = try await installedVersion(of: tokenizer, events: events)

        var models = [
            BundleManifest.Model(name: details.name, repo: details.repo, revision: version.revision, commit: version.commit,
                                 role: "pipeline", source: source.description),
            BundleManifest.Model(name: tokenizerDetails.name, repo: tokenizerDetails.repo, revision: tokenizerVersion.revision,
                                 commit: tokenizerVersion.commit, role: "tokenizer", source: "/"),
        ]
        var files = source.files + (try clipTokenizerFiles(tokenizerVersion, model: 1))
        var warnings: [BundleProblem] = []
        let hasT5 = source.modelNames.contains(ResourceNames.textEncoderT5)
        if request.t5 {
            guard source.modelNames.contains(ResourceNames.mmdit) else { throw BundleError.t5NeedsSD3(name: details.name) }
            files += try await t5Files(encoderShipped: hasT5, models: &models, events: events)
        } else if hasT5 {
            files.removeAll { $0.destination.hasPrefix(ResourceNames.textEncoderT5 + "/") }
            warnings.append(.warning(ResourceNames.textEncoderT5, "\(ResourceNames.textEncoderT5) of \(details.name) was left out: pass --t5 to use it (with tokenizer.json and tokenizer_config.json from google-t5/t5-small)"))
        }
        let variantFolder = source.origin.hasSuffix("/compiled") ? String(source.origin.dropLast("/compiled".count)) : model.variant?.folder
        for name in request.controlNets {
            let (entry, extra) = try await addition(name, role: "controlnet", variantFolder: variantFolder, models: &models, events: events)
            guard extra.modelNames.count == 1, let only = extra.modelNames.first else {
                throw BundleError.notOneControlNet(name: entry.name, models: extra.modelNames)
            }
            let target = "\(ResourceNames.controlNetFolder)/\(ResourceNames.controlNetName(repo: entry.repo)).mlmodelc"
            files += extra.renamed([only: target], model: models.count - 1)
        }
        if let refiner = request.refiner {
            let (entry, extra) = try await addition(refiner, role: "refiner", variantFolder: variantFolder, models: &models, events: events)
            let renames = ["Unet.mlmodelc": ResourceNames.unetRefiner, "UnetChunk1.mlmodelc": ResourceNames.unetRefinerChunk1,
                           "UnetChunk2.mlmodelc": ResourceNames.unetRefinerChunk2]
            let refinerFiles = extra.renamed(renames, model: models.count - 1)
            guard !refinerFiles.isEmpty else { throw BundleError.refinerWithoutUnet(name: entry.name) }
            files += refinerFiles
        }

        let destination = request.output.standardizedFileURL
        var manifest: BundleManifest?
        let assembler = FolderAssembler(destination: destination, forceCopy: request.copy, replaceExisting: request.force)
        let counts = try assembler.assemble(files) { staging in
            let check = ResourceFolderChecker().check(staging)
            guard check.errors.isEmpty, let kind = check.kind else {
                throw BundleError.contractViolated(folder: destination.path, problems: check.errors)
            }
            warnings += check.problems
            let written = BundleManifest(
                createdAt: Date(), kind: kind, attention: check.attention,
                command: kind.sampleCommand(resourcePath: destination.path), models: models,
                files: files.map { BundleManifest.File(path: $0.destination, size: $0.size, sha256: $0.sha256, model: $0.model) }
                    .sorted { $0.path < $1.path })
            try written.write(to: staging)
            manifest = written
        }
        guard let manifest else { throw BundleError.contractViolated(folder: destination.path, problems: []) }
        return BundleReport(folder: destination.path, kind: manifest.kind, attention: manifest.attention, command: manifest.command,
                            models: models, files: files.count, bytes: files.reduce(0) { $0 + $1.size },
                            linked: counts.linked, copied: counts.copied, warnings: warnings,
                            durationSeconds: Date().timeIntervalSince(started))
    }

    /// The name with `--variant` applied; only Core ML models (or plain repo ids) can be bundled.
    private func resolveModel(_ request: BundleRequest) throws -> ResolvedModel {
        try resolveModel(request.name, variant: request.variant)
    }

    private func resolveModel(_ name: String, variant wanted: String?) throws -> ResolvedModel {
        var model = try service.resolve(name)
        if let kind = model.kind, kind != .coreml { throw BundleError.notCoreML(name: model.name, kind: kind.rawValue) }
        if let wanted, let entry = model.entry, model.variant?.name != wanted {
            model = try service.resolve("\(entry.name)/\(wanted)" + (model.revisionWasGiven ? "@\(model.revision)" : ""))
        }
        return model
    }

    /// A ControlNet, refiner or T5 model in the base's attention variant, installed (pulled if missing), recorded in `models`.
    func addition(_ name: String, role: String, variantFolder: String?, models: inout [BundleManifest.Model],
                          events: @escaping @Sendable (BundleEvent) -> Void) async throws
        -> (ModelDetails, CompiledModelSource) {
        let registryVariant = variantFolder?.replacingOccurrences(of: "_", with: "-")
        var model = try service.resolve(name)
        if let entry = model.entry, let registryVariant, entry.variants[registryVariant] != nil {
            model = try resolveModel(name, variant: registryVariant)
        } else if let kind = model.kind, kind != .coreml {
            throw BundleError.notCoreML(name: model.name, kind: kind.rawValue)
        }
        let (details, version) = try await installedVersion(of: model, events: events)
        let source = try await CompiledModelSource.locate(in: version, name: details.name, variant: model.variant, requested: variantFolder,
                                                          archives: archives, events: events)
        models.append(BundleManifest.Model(name: details.name, repo: details.repo, revision: version.revision, commit: version.commit,
                                           role: role, source: source.description))
        return (details, source)
    }

    /// The newest installed version of `model`, pulled first when none is installed.
    func installedVersion(of model: ResolvedModel, events: @escaping @Sendable (BundleEvent) -> Void) async throws
        -> (ModelDetails, ModelDetails.Version) {
        do {
            let details = try await service.show(model.name)
            return (details, details.versions[0])
        } catch PullError.notInstalled(_) {
            _ = try await service.pull(model) { events(.pull($0)) }
            let details = try await service.show(model.name)
            return (details, details.versions[0])
        }
    }

    /// vocab.json and merges.txt of the installed CLIP tokenizer, checked against their known SHA-256.
    private func clipTokenizerFiles(_ version: ModelDetails.Version, model: Int) throws -> [PlannedFile] {
        try ResourceNames.clipTokenizerFiles().map { name, known in
            guard let file = version.files.first(where: { $0.path == name }) else { throw BundleError.tokenizerFileMissing(file: name) }
            guard file.sha256 == known else { throw BundleError.tokenizerHashMismatch(file: name, expected: known, actual: file.sha256) }
            return PlannedFile(destination: name, source: file.blob, size: file.size, sha256: file.sha256, model: model)
        }
    }
}
