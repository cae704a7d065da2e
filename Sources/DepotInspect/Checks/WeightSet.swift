import Foundation
import DepotFormats

/// One complete set of weights in a component folder: a single safetensors file or a sharded
/// checkpoint with its index, for the default weights or a variant (`fp16`, `non_ema`...).
public struct WeightSet: Sendable, Equatable {
    /// nil for the default weights.
    public var variant: String?
    /// The index file's name for sharded checkpoints.
    public var index: String?
    /// File names of the safetensors files (the shards, for a sharded checkpoint).
    public var files: [String]

    /// Weight sets in `folder`, default first then variants by name. Shards named by an index are
    /// part of that index's set, never sets of their own; `orphanShards` are shard-named files no index claims.
    public static func discover(in folder: URL) -> (sets: [WeightSet], orphanShards: [String]) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        let indexNames = names.filter { $0.hasSuffix(".json") && $0.contains(".safetensors.index") }
        var sets = indexNames.map { WeightSet(variant: variant(of: $0, dropping: ["safetensors", "index", "json"]), index: $0, files: []) }
        let claimed = Set(indexNames.flatMap { shardNames(in: $0, folder: folder) })
        var orphans: [String] = []
        for name in names where name.hasSuffix(".safetensors") && !claimed.contains(name) {
            if looksLikeShard(name) { orphans.append(name); continue }
            sets.append(WeightSet(variant: variant(of: name, dropping: ["safetensors"]), index: nil, files: [name]))
        }
        return (sets.sorted { ($0.variant ?? "", $0.index ?? "") < ($1.variant ?? "", $1.index ?? "") }, orphans)
    }

    /// base-00001-of-00002.safetensors: part of a sharded checkpoint, never complete on its own.
    static func looksLikeShard(_ name: String) -> Bool {
        name.hasSuffix(".safetensors") && withoutShardNumber(String(name.dropLast(".safetensors".count))) != nil
    }

    /// `base-00001-of-00002` -> `base`; nil without that ending. (By hand rather than with a regular
    /// expression: Foundation's runs on ICU, whose data would then stay in the daemon's memory.)
    static func withoutShardNumber(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        let pattern = Array("-#####-of-#####".utf8)
        guard bytes.count >= pattern.count else { return nil }
        let tail = bytes.suffix(pattern.count)
        for (byte, expected) in zip(tail, pattern) {
            let matches = expected == UInt8(ascii: "#") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) : byte == expected
            if !matches { return nil }
        }
        return String(decoding: bytes.dropLast(pattern.count), as: UTF8.self)
    }

    private static func shardNames(in index: String, folder: URL) -> [String] {
        guard let parsed = try? SafetensorsIndex(url: folder.appendingPathComponent(index), file: index) else { return [] }
        return parsed.shards
    }

    /// `diffusion_pytorch_model.fp16.safetensors` -> "fp16"; the base name and format words are dropped.
    static func variant(of name: String, dropping formatWords: Set<String>) -> String? {
        var parts = name.split(separator: ".").map(String.init)
        guard parts.count > 1 else { return nil }
        parts.removeFirst()
        let rest = parts.filter { !formatWords.contains($0) }.map { withoutShardNumber($0) ?? $0 }
        return rest.isEmpty ? nil : rest.joined(separator: ".")
    }
}

extension Finding {
    static func orphanShard(_ path: String) -> Finding {
        Finding(file: path, expected: "a *.safetensors.index.json naming this shard", found: "no index claims it",
                message: "a shard of a sharded checkpoint without its index; pull the model again")
    }
}
