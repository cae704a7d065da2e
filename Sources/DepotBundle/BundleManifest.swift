import DepotCore
import Foundation

/// bundle.json: what the folder holds, where every file came from, and how to run Apple's CLI on it.
public struct BundleManifest: Sendable, Codable {
    public struct Model: Sendable, Codable, Equatable {
        /// The depot name (`coreml-sd-2.1-base/split-einsum`, `clip-tokenizer`).
        public var name: String
        public var repo: String
        public var revision: String
        public var commit: String
        /// What the model contributes: `pipeline`, `tokenizer`, `controlnet`, `refiner`, `t5-encoder` or `t5-tokenizer`.
        public var role: String
        /// The repo folder (or archive) the files came from.
        public var source: String
    }

    public struct File: Sendable, Codable, Equatable {
        public var path: String
        public var size: Int64
        public var sha256: String
        /// Index into ``models``.
        public var model: Int
    }

    public var format = 1
    public var depotVersion = DepotVersion.current
    public var createdAt: Date
    public var kind: PipelineKind
    public var attention: AttentionVariant?
    /// The exact command that runs Apple's sample CLI on this folder.
    public var command: String
    public var models: [Model]
    public var files: [File]

    enum CodingKeys: String, CodingKey {
        case format, kind, attention, command, models, files
        case depotVersion = "depot_version", createdAt = "created_at"
    }

    public static func read(from folder: URL) throws -> BundleManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .utcISO8601
        return try decoder.decode(BundleManifest.self, from: Data(contentsOf: folder.appendingPathComponent(ResourceNames.manifest)))
    }

    func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .utcISO8601
        try encoder.encode(self).write(to: folder.appendingPathComponent(ResourceNames.manifest))
    }
}
