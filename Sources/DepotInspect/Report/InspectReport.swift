import DepotFormats

/// What `depot inspect` prints: what the model is, one row per logical weight, the storage units
/// (safetensors files or weight.bin records), totals and the structural findings.
public struct InspectReport: Sendable, Encodable {
    /// "safetensors", "diffusers", "coreml-mlpackage", "coreml-mlmodelc" or "coreml-resources".
    public var kind: String
    public var path: String
    /// E.g. "StableDiffusionPipeline" or "UNet2DConditionModel"; nil when unknown.
    public var architecture: String?
    /// Dense dtypes of the weights: "float16", "float32", "bfloat16" or "mixed (...)".
    public var precision: String?
    /// "split_einsum" or "original" for Core ML; nil when not determined.
    public var attention: String?
    /// Output image size in pixels ("512x512") when the configs say.
    public var resolution: String?
    /// "none" or the compression kinds present ("palettized-6", ...).
    public var compression: String
    public var components: [ComponentSummary]
    public var weights: [WeightSummary]
    public var blobs: [BlobSummary]
    public var totals: WeightTotals
    public var findings: [Finding]

    public struct ComponentSummary: Sendable, Codable, Equatable {
        public var name: String
        public var className: String
        /// The weight set reported in `weights` (nil = default weights).
        public var variant: String?
        /// All weight sets present: "default", "fp16", "non_ema"...
        public var variants: [String]
        public var files: [String]

        enum CodingKeys: String, CodingKey {
            case name, variant, variants, files
            case className = "class"
        }
    }

    public init(kind: String, path: String, architecture: String? = nil, precision: String? = nil, attention: String? = nil,
                resolution: String? = nil, components: [ComponentSummary] = [], weights: [WeightSummary], blobs: [BlobSummary],
                findings: [Finding]) {
        self.kind = kind
        self.path = path
        self.architecture = architecture
        self.precision = precision ?? Self.precision(of: weights)
        self.attention = attention
        self.resolution = resolution
        let totals = WeightTotals(weights)
        self.totals = totals
        let kinds = totals.byCompression.keys.filter { $0 != "none" }.sorted()
        compression = kinds.isEmpty ? "none" : kinds.joined(separator: ", ")
        self.components = components
        self.weights = weights
        self.blobs = blobs
        self.findings = findings
    }

    public var ok: Bool { !findings.hasErrors }

    static func precision(of weights: [WeightSummary]) -> String? {
        let dtypes = Set(weights.map(\.dtype))
        guard !dtypes.isEmpty else { return nil }
        let names = Set(dtypes.map(Self.precisionName))
        if names.count == 1 { return names.first }
        return "mixed (" + names.sorted().joined(separator: ", ") + ")"
    }

    private static func precisionName(_ dtype: String) -> String {
        switch dtype {
        case "F16", "fp16": "float16"
        case "F32", "fp32": "float32"
        case "BF16", "bf16": "bfloat16"
        case "F64": "float64"
        default: dtype
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, path, architecture, precision, attention, resolution, compression, components, weights, blobs, totals, findings
        case ok
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(path, forKey: .path)
        try container.encode(architecture, forKey: .architecture)
        try container.encode(precision, forKey: .precision)
        try container.encode(attention, forKey: .attention)
        try container.encode(resolution, forKey: .resolution)
        try container.encode(compression, forKey: .compression)
        try container.encode(components, forKey: .components)
        try container.encode(weights, forKey: .weights)
        try container.encode(blobs, forKey: .blobs)
        try container.encode(totals, forKey: .totals)
        try container.encode(findings, forKey: .findings)
        try container.encode(ok, forKey: .ok)
    }
}

/// One storage unit: a safetensors file's data section, or one weight.bin blob record.
public struct BlobSummary: Sendable, Codable, Equatable {
    /// Path relative to the inspected root.
    public var file: String
    /// Where the data starts in the file (the safetensors data section, or the blob's data offset).
    public var offset: Int
    public var bytes: Int
    /// The stored element type, when the unit holds one type.
    public var dtype: String?
    /// Tensors stored in the unit (1 for a weight.bin record).
    public var tensors: Int

    public init(file: String, offset: Int, bytes: Int, dtype: String?, tensors: Int) {
        (self.file, self.offset, self.bytes, self.dtype, self.tensors) = (file, offset, bytes, dtype, tensors)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(offset, forKey: .offset)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(dtype, forKey: .dtype)
        try container.encode(tensors, forKey: .tensors)
    }
}
