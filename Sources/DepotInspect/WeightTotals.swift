import DepotFormats

/// Sums over a model's weights, per dense dtype and per compression kind, for `depot inspect`.
public struct WeightTotals: Sendable, Equatable, Codable {
    public struct Bucket: Sendable, Equatable, Codable {
        public var weights: Int
        public var parameters: Int
        public var bytes: Int

        public init(weights: Int, parameters: Int, bytes: Int) {
            self.weights = weights
            self.parameters = parameters
            self.bytes = bytes
        }
    }

    public var weights: Int
    public var parameters: Int
    public var bytes: Int
    public var byDtype: [String: Bucket]
    /// Keyed "palettized-4", "affine-8", "sparse" or "none".
    public var byCompression: [String: Bucket]

    private enum CodingKeys: String, CodingKey {
        case weights, parameters, bytes
        case byDtype = "by_dtype"
        case byCompression = "by_compression"
    }

    public init(_ rows: [WeightSummary]) {
        weights = rows.count
        parameters = rows.reduce(0) { $0 + $1.elementCount }
        bytes = rows.reduce(0) { $0 + $1.bytes }
        byDtype = Self.group(rows) { $0.dtype }
        byCompression = Self.group(rows) { Self.compressionKey($0.compression) }
    }

    public static func compressionKey(_ compression: WeightCompression?) -> String {
        switch compression {
        case nil: "none"
        case .palettized(let bits)?: "palettized-\(bits)"
        case .affine(let bits)?: "affine-\(bits)"
        case .sparse?: "sparse"
        }
    }

    private static func group(_ rows: [WeightSummary], by key: (WeightSummary) -> String) -> [String: Bucket] {
        var buckets: [String: Bucket] = [:]
        for row in rows {
            buckets[key(row), default: Bucket(weights: 0, parameters: 0, bytes: 0)].add(row)
        }
        return buckets
    }
}

extension WeightTotals.Bucket {
    mutating func add(_ row: WeightSummary) {
        weights += 1
        parameters += row.elementCount
        bytes += row.bytes
    }
}
