import Foundation

/// A sharded checkpoint's `*.safetensors.index.json`: which shard file holds each tensor.
public struct SafetensorsIndex: Sendable, Equatable {
    /// Tensor name -> shard file name (relative to the index's folder), in file order.
    public let weightMap: [(tensor: String, shard: String)]
    /// `metadata.total_size` when present: the bytes of all tensors together.
    public let totalSize: Int?

    public static func == (lhs: SafetensorsIndex, rhs: SafetensorsIndex) -> Bool {
        lhs.totalSize == rhs.totalSize && lhs.weightMap.elementsEqual(rhs.weightMap) { $0 == $1 }
    }

    /// The shard files in the order they are first named.
    public var shards: [String] {
        var seen = Set<String>()
        return weightMap.map(\.shard).filter { seen.insert($0).inserted }
    }

    public init(url: URL, file: String) throws(SafetensorsIndexError) {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .unreadable(file: file) }
        try self.init(bytes: Array(data), file: file)
    }

    public init(bytes: [UInt8], file: String) throws(SafetensorsIndexError) {
        let json: HeaderJSON
        do {
            json = try HeaderJSON.parse(bytes)
        } catch {
            throw .notJSON(file: file, reason: "\(error.reason) at byte \(error.offset)")
        }
        guard case let .object(members) = json else { throw .notJSON(file: file, reason: "not a JSON object") }
        var map: [(tensor: String, shard: String)]?
        var totalSize: Int?
        for (key, value) in members {
            switch key {
            case "weight_map":
                map = try Self.weightMap(value, file: file)
            case "metadata":
                guard case let .object(fields) = value else { continue }
                if let size = fields.last(where: { $0.key == "total_size" })?.value, case let .number(text) = size {
                    totalSize = Int(text) ?? Double(text).flatMap { Int(exactly: $0) }
                }
            default:
                continue
            }
        }
        guard let map else { throw .missingWeightMap(file: file) }
        weightMap = map
        self.totalSize = totalSize
    }

    private static func weightMap(_ value: HeaderJSON, file: String) throws(SafetensorsIndexError) -> [(tensor: String, shard: String)] {
        guard case let .object(entries) = value else { throw .missingWeightMap(file: file) }
        var seen = Set<String>()
        var map: [(tensor: String, shard: String)] = []
        for (tensor, entry) in entries {
            guard seen.insert(tensor).inserted else { throw .duplicateTensor(file: file, tensor: tensor) }
            guard case let .string(shard) = entry else { throw .invalidShard(file: file, tensor: tensor, shard: "a non-string value") }
            // Shards live next to their index: a path elsewhere would read files outside the model.
            guard !shard.isEmpty, !shard.contains("/"), !shard.contains("\\"), shard != ".", shard != ".." else {
                throw .invalidShard(file: file, tensor: tensor, shard: shard)
            }
            map.append((tensor, shard))
        }
        return map
    }
}

public enum SafetensorsIndexError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String)
    case notJSON(file: String, reason: String)
    case missingWeightMap(file: String)
    case duplicateTensor(file: String, tensor: String)
    case invalidShard(file: String, tensor: String, shard: String)

    public var description: String {
        let fix = "Pull the model again or replace the index file."
        switch self {
        case let .unreadable(file): return "\(file): the shard index cannot be read. \(fix)"
        case let .notJSON(file, reason): return "\(file): the shard index is not valid JSON (\(reason)). \(fix)"
        case let .missingWeightMap(file): return "\(file): the shard index has no \"weight_map\" object. \(fix)"
        case let .duplicateTensor(file, tensor): return "\(file): tensor '\(tensor)' appears more than once in weight_map. \(fix)"
        case let .invalidShard(file, tensor, shard):
            return "\(file): weight_map sends tensor '\(tensor)' to \(shard), which is not a file name in the index's folder. \(fix)"
        }
    }
}
