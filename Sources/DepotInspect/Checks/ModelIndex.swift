import Foundation

/// model_index.json: the pipeline class and its components (folder name -> library and class).
public struct ModelIndex: Sendable, Equatable {
    public struct Component: Sendable, Equatable {
        public var name: String
        public var library: String
        public var className: String
    }

    public var pipelineClass: String?
    /// Components that are present in the pipeline (entries of [null, null] are left out).
    public var components: [Component]
    /// SDXL refiners ask for an aesthetic score: one more time id.
    public var requiresAestheticsScore: Bool

    public init(url: URL, file: String = "model_index.json") throws(ConfigError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        } catch {
            throw .unreadable(file: file, reason: FileManager.default.fileExists(atPath: url.path) ? "not JSON" : "missing")
        }
        guard let entries = object as? [String: Any] else { throw .unreadable(file: file, reason: "not a JSON object") }
        pipelineClass = entries["_class_name"] as? String
        requiresAestheticsScore = (entries["requires_aesthetics_score"] as? Bool) ?? false
        components = []
        for key in entries.keys.sorted() where !key.hasPrefix("_") {
            guard let pair = entries[key] as? [Any] else { continue }
            guard pair.count == 2 else {
                throw .invalid(file: file, key: key, reason: "should be [library, class] but has \(pair.count) entries")
            }
            if pair[0] is NSNull || pair[1] is NSNull { continue }
            guard let library = pair[0] as? String, let className = pair[1] as? String else {
                throw .wrongType(file: file, key: key, expected: "[library, class] strings", found: "\(pair)")
            }
            components.append(Component(name: key, library: library, className: className))
        }
    }

    public func component(_ name: String) -> Component? { components.first { $0.name == name } }
}
