import Foundation

/// What `depot bundle NAME -o DIR` asks for.
public struct BundleRequest: Sendable {
    /// A registry name (`coreml-sd-2.1-base`, `coreml-sd-2.1-base/original`) or a repo id.
    public var name: String
    public var output: URL
    /// `original`, `split-einsum` or `split-einsum-v2`; nil takes the name's variant or the registry default.
    public var variant: String?
    /// Copy every file even where a hard link would do.
    public var copy: Bool
    /// Replace an existing output folder.
    public var force: Bool
    /// ControlNet models to add as `controlnet/<Name>.mlmodelc` (the base must ship ControlledUnet).
    public var controlNets: [String]
    /// An SDXL refiner whose UNet becomes `UnetRefiner.mlmodelc` (or its chunks).
    public var refiner: String?
    /// SD3 only: add TextEncoderT5.mlmodelc (the model's own, else `coreml-sd3-t5-encoder`) with
    /// google-t5/t5-small's tokenizer.json and tokenizer_config.json.
    public var t5: Bool

    public init(name: String, output: URL, variant: String? = nil, copy: Bool = false, force: Bool = false,
                controlNets: [String] = [], refiner: String? = nil, t5: Bool = false) {
        self.name = name
        self.output = output
        self.variant = variant
        self.copy = copy
        self.force = force
        self.controlNets = controlNets
        self.refiner = refiner
        self.t5 = t5
    }
}

/// The outcome of `depot bundle`: the `--json` shape.
public struct BundleReport: Sendable, Codable {
    public var folder: String
    public var kind: PipelineKind
    public var attention: AttentionVariant?
    public var command: String
    public var models: [BundleManifest.Model]
    public var files: Int
    public var bytes: Int64
    public var linked: Int
    public var copied: Int
    /// What the contract check found worth saying (errors stop the bundle before it is installed).
    public var warnings: [BundleProblem]
    public var durationSeconds: Double

    enum CodingKeys: String, CodingKey {
        case folder, kind, attention, command, models, files, bytes, linked, copied, warnings
        case durationSeconds = "duration_s"
    }
}
