/// How a stored weight is compressed, resolved from the ops or dtypes that produce its dense value.
public enum WeightCompression: Sendable, Equatable, Hashable {
    /// A lookup table of 2^bits entries indexed by packed `bits`-bit indices (constexpr_lut_to_dense).
    case palettized(bits: Int)
    /// Integers with a scale and zero point (constexpr_affine_dequantize, constexpr_blockwise_shift_scale).
    case affine(bits: Int)
    /// A bit mask plus the non-zero values (constexpr_sparse_to_dense).
    case sparse
}

/// One logical weight as `depot inspect` reports it, whatever file format holds it:
/// the dense dtype and shape a model computes with, and what it costs on disk.
public struct WeightSummary: Sendable, Equatable {
    public var name: String
    /// The dense element type, in safetensors spelling for safetensors files ("F16") and MIL spelling for Core ML ("fp16").
    public var dtype: String
    /// The dense shape (after decompression).
    public var shape: [Int]
    /// Bytes the weight occupies on disk (compressed size when compressed).
    public var bytes: Int
    public var compression: WeightCompression?
    /// Distinct values of the dense tensor; nil when not computed (over the size limit without `--stats`).
    public var uniqueValues: Int?
    /// Fraction of zeros in the dense tensor; nil when not computed.
    public var sparsity: Double?

    public init(name: String, dtype: String, shape: [Int], bytes: Int, compression: WeightCompression? = nil,
                uniqueValues: Int? = nil, sparsity: Double? = nil) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
        self.compression = compression
        self.uniqueValues = uniqueValues
        self.sparsity = sparsity
    }

    public var elementCount: Int { shape.reduce(1, *) }
}

extension WeightCompression: Codable {
    private enum CodingKeys: String, CodingKey { case kind, bits }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "palettized": self = .palettized(bits: try container.decode(Int.self, forKey: .bits))
        case "affine": self = .affine(bits: try container.decode(Int.self, forKey: .bits))
        case "sparse": self = .sparse
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container,
                                                   debugDescription: "unknown compression kind \"\(other)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .palettized(let bits):
            try container.encode("palettized", forKey: .kind)
            try container.encode(bits, forKey: .bits)
        case .affine(let bits):
            try container.encode("affine", forKey: .kind)
            try container.encode(bits, forKey: .bits)
        case .sparse:
            try container.encode("sparse", forKey: .kind)
        }
    }
}

extension WeightSummary: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, dtype, shape, bytes, compression
        case uniqueValues = "unique_values"
        case sparsity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(dtype, forKey: .dtype)
        try container.encode(shape, forKey: .shape)
        try container.encode(bytes, forKey: .bytes)
        // Explicit nulls: scripts read these keys on every row.
        try container.encode(compression, forKey: .compression)
        try container.encode(uniqueValues, forKey: .uniqueValues)
        try container.encode(sparsity, forKey: .sparsity)
    }
}
