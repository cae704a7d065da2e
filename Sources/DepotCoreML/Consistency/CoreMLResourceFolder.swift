import Foundation

/// The Stable Diffusion family a resource folder holds, from its UNet's inputs.
public enum StableDiffusionArchitecture: String, Sendable {
    case stableDiffusion = "sd"
    case stableDiffusionXL = "sdxl"
    case stableDiffusionXLRefiner = "sdxl-refiner"
    case stableDiffusion3 = "sd3"
}

/// A folder of Core ML models that work together (Apple's resource layout: TextEncoder, Unet,
/// VAEDecoder... as .mlmodelc, or the converter's .mlpackage files), opened and cross-checked.
/// Models in a `controlnet/` subfolder are included. `findings` lists each relation checked.
public struct CoreMLResourceFolder: Sendable {
    public let url: URL
    public let models: [ResourceRole: CoreMLModel]

    /// Opens every model in the folder (each fully checked by `CoreMLModel(at:)`).
    public init(at url: URL) throws(CoreMLError) {
        self.url = url
        var models: [ResourceRole: CoreMLModel] = [:]
        for folder in [url, url.appendingPathComponent("controlnet")] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for entry in entries.sorted() where entry.hasSuffix(".mlmodelc") || entry.hasSuffix(".mlpackage") {
                let modelURL = folder.appendingPathComponent(entry)
                guard let role = ResourceRole(modelName: modelURL.deletingPathExtension().lastPathComponent),
                      models[role] == nil else { continue }
                models[role] = try CoreMLModel(at: modelURL)
            }
        }
        guard !models.isEmpty else { throw .notAModel(path: url.path) }
        self.models = models
    }

    /// Models the caller opened and gave roles (e.g. one of several ControlNets, or a refiner as the UNet).
    public init(url: URL, models: [ResourceRole: CoreMLModel]) {
        self.url = url
        self.models = models
    }

    /// The denoiser whose inputs describe the pipeline.
    var denoiser: CoreMLModel? { models[.unet] ?? models[.unetChunk1] ?? models[.controlledUnet] }

    public var architecture: StableDiffusionArchitecture? {
        if models[.multiModalDiffusionTransformer] != nil { return .stableDiffusion3 }
        guard let denoiser else { return nil }
        guard let timeIDs = denoiser.input("time_ids"), denoiser.input("text_embeds") != nil else { return .stableDiffusion }
        return timeIDs.shape.last == 5 ? .stableDiffusionXLRefiner : .stableDiffusionXL
    }

    /// The generated image's [height, width], from the VAE decoder's output.
    public var imageSize: [Int]? {
        guard let image = models[.vaeDecoder]?.output("image"), image.shape.count == 4 else { return nil }
        return Array(image.shape.suffix(2))
    }

    /// The attention variant of the denoisers, when they agree (text encoders keep the original attention in both variants).
    public var attentionImplementation: AttentionImplementation? {
        let variants = Set(attentionModels.compactMap { $0.1.attentionImplementation })
        return variants.count == 1 ? variants.first : nil
    }

    private var attentionModels: [(ResourceRole, CoreMLModel)] {
        [.unet, .unetChunk1, .unetChunk2, .controlledUnet, .controlNet, .multiModalDiffusionTransformer]
            .compactMap { role in models[role].map { (role, $0) } }
    }

    public var findings: [ConsistencyFinding] {
        var findings: [ConsistencyFinding] = []
        if let architecture {
            findings.append(ConsistencyFinding(.holds, check: "architecture", architectureMessage(architecture)))
        }
        findings += textWidthFindings() + latentFindings() + chunkFindings() + attentionFindings() + controlNetFindings()
        return findings
    }

    public var problems: [ConsistencyFinding] { findings.filter { $0.outcome == .problem } }

    private func architectureMessage(_ architecture: StableDiffusionArchitecture) -> String {
        switch architecture {
        case .stableDiffusion: "Stable Diffusion 1.x/2.x: the UNet has no time_ids/text_embeds inputs"
        case .stableDiffusionXL: "SDXL base: the UNet takes time_ids (6 values) and text_embeds"
        case .stableDiffusionXLRefiner: "SDXL refiner: the UNet's time_ids have 5 values"
        case .stableDiffusion3: "Stable Diffusion 3: a MultiModalDiffusionTransformer"
        }
    }

    /// Text encoder output width(s) = the denoiser's encoder_hidden_states channels ([B, C, 1, S]).
    private func textWidthFindings() -> [ConsistencyFinding] {
        guard let denoiser, let hidden = denoiser.input("encoder_hidden_states"), hidden.shape.count >= 2 else { return [] }
        let encoders = [ResourceRole.textEncoder, .textEncoder2].compactMap { role in models[role].map { (role, $0) } }
        guard !encoders.isEmpty else { return [] }
        var widths: [String] = []
        var total = 0
        for (role, encoder) in encoders {
            guard let output = encoder.output("last_hidden_state") ?? encoder.output("hidden_embeds"),
                  let width = output.shape.last else {
                return [ConsistencyFinding(.problem, check: "text-width",
                                           "\(role.rawValue) has no last_hidden_state or hidden_embeds output")]
            }
            widths.append("\(role.rawValue) \(output.name) width \(width)")
            total += width
        }
        let channels = hidden.shape[1]
        let sum = widths.joined(separator: " + ")
        if total == channels {
            return [ConsistencyFinding(.holds, check: "text-width",
                                       "\(sum) = \(denoiser.name) encoder_hidden_states channels \(channels)")]
        }
        return [ConsistencyFinding(.problem, check: "text-width",
                                   "\(sum) (\(total)) differs from \(denoiser.name) encoder_hidden_states channels \(channels) (shape \(hidden.shape)); the models come from different checkpoints")]
    }

    /// The denoiser's latent (sample [B, C, H, W]) = VAEDecoder z [1, C, H, W].
    private func latentFindings() -> [ConsistencyFinding] {
        guard let denoiser, let decoder = models[.vaeDecoder],
              let sample = denoiser.input("sample") ?? denoiser.input("latent_image_embeddings"),
              let z = decoder.input("z"), sample.shape.count == 4, z.shape.count == 4 else { return [] }
        let unetLatent = Array(sample.shape.dropFirst()), vaeLatent = Array(z.shape.dropFirst())
        if unetLatent == vaeLatent {
            return [ConsistencyFinding(.holds, check: "latent-size",
                                       "\(denoiser.name) latent \(unetLatent) = VAEDecoder z \(vaeLatent)")]
        }
        return [ConsistencyFinding(.problem, check: "latent-size",
                                   "\(denoiser.name) latent (channels, H, W) \(unetLatent) differs from VAEDecoder z \(vaeLatent); convert both for the same resolution")]
    }

    private func chunkFindings() -> [ConsistencyFinding] {
        switch (models[.unetChunk1] != nil, models[.unetChunk2] != nil) {
        case (true, true): [ConsistencyFinding(.holds, check: "chunks", "UnetChunk1 and UnetChunk2 are both present")]
        case (true, false): [ConsistencyFinding(.problem, check: "chunks", "UnetChunk1 is present but UnetChunk2 is missing")]
        case (false, true): [ConsistencyFinding(.problem, check: "chunks", "UnetChunk2 is present but UnetChunk1 is missing")]
        case (false, false): []
        }
    }

    private func attentionFindings() -> [ConsistencyFinding] {
        let variants = attentionModels.compactMap { role, model in model.attentionImplementation.map { (role, $0) } }
        guard let first = variants.first else { return [] }
        let names = variants.map { "\($0.0.rawValue) \($0.1.rawValue)" }.joined(separator: ", ")
        if variants.allSatisfy({ $0.1 == first.1 }) {
            return [ConsistencyFinding(.holds, check: "attention", "\(first.1.rawValue) attention (\(names))")]
        }
        return [ConsistencyFinding(.problem, check: "attention", "mixed attention implementations: \(names)")]
    }

    /// ControlNet outputs (down_block_res_samples_0..., mid_block_res_sample) = ControlledUnet's additional_residual_0... inputs.
    private func controlNetFindings() -> [ConsistencyFinding] {
        guard let controlNet = models[.controlNet], let controlled = models[.controlledUnet] else { return [] }
        let residuals = controlled.inputs.filter { $0.name.hasPrefix("additional_residual_") }
            .sorted { Self.trailingNumber($0.name) < Self.trailingNumber($1.name) }
        let downs = controlNet.outputs.filter { $0.name.hasPrefix("down_block_res_samples") }
            .sorted { Self.trailingNumber($0.name) < Self.trailingNumber($1.name) }
        let produced = downs + controlNet.outputs.filter { $0.name == "mid_block_res_sample" }
        guard produced.count == residuals.count else {
            return [ConsistencyFinding(.problem, check: "controlnet",
                                       "ControlNet produces \(produced.count) residuals but ControlledUnet takes \(residuals.count) additional_residual_* inputs")]
        }
        for (output, input) in zip(produced, residuals) where output.shape != input.shape {
            return [ConsistencyFinding(.problem, check: "controlnet",
                                       "ControlNet \(output.name) \(output.shape) does not match ControlledUnet \(input.name) \(input.shape)")]
        }
        return [ConsistencyFinding(.holds, check: "controlnet",
                                   "ControlNet's \(produced.count) outputs match ControlledUnet's additional_residual_* inputs")]
    }

    private static func trailingNumber(_ name: String) -> Int {
        Int(name.reversed().prefix { $0.isNumber }.reversed().map(String.init).joined()) ?? -1
    }
}

extension CoreMLModel {
    public func input(_ name: String) -> CoreMLFeature? { inputs.first { $0.name == name } }
    public func output(_ name: String) -> CoreMLFeature? { outputs.first { $0.name == name } }
}
