import Foundation

/// The errors a `ConfigDocument` reports, built in the reading module's own error type: the runner
/// and the inspector read configs the same way but explain problems in their own terms.
public protocol ConfigReadingError: Error {
    static func configUnreadable(file: String, missing: Bool, reason: String) -> Self
    static func configWrongType(file: String, key: String, expected: String, found: String) -> Self
    static func configInvalid(file: String, key: String, reason: String) -> Self
    static func configUnsupported(file: String, key: String, value: String) -> Self
}

/// A diffusers/transformers config.json (or model_index.json) with typed access. An absent or null
/// key means the library default, as diffusers and transformers treat them.
public struct ConfigDocument<Failure: ConfigReadingError>: Sendable {
    /// The path used in error messages.
    public let file: String
    private let values: [String: ConfigJSONValue]
    /// Top-level keys written as null: for a few keys diffusers reads null differently from absent.
    private let nulls: Set<String>

    /// `displayName` names the file in errors (a path relative to the model root); the full path by default.
    public init(url: URL, displayName: String? = nil) throws(Failure) {
        let file = displayName ?? url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let missing = !FileManager.default.fileExists(atPath: url.path)
            throw .configUnreadable(file: file, missing: missing, reason: missing ? "the file does not exist" : "cannot read: \(error.localizedDescription)")
        }
        try self.init(data: data, file: file)
    }

    public init(data: Data, file: String) throws(Failure) {
        self.file = file
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .configUnreadable(file: file, missing: false, reason: "not JSON")
        }
        guard let dictionary = object as? [String: Any] else { throw .configUnreadable(file: file, missing: false, reason: "not a JSON object") }
        values = dictionary.compactMapValues(ConfigJSONValue.init)
        nulls = Set(dictionary.filter { $0.value is NSNull }.keys)
    }

    public func isExplicitNull(_ key: String) -> Bool { nulls.contains(key) }
    public func has(_ key: String) -> Bool { values[key] != nil }
    public var keys: [String] { values.keys.sorted() }
    /// The value as written, compactly (for messages and comparisons); nil when absent or null.
    public func text(_ key: String) -> String? { values[key]?.text }

    public func int(_ key: String, default fallback: Int) throws(Failure) -> Int {
        try optionalInt(key) ?? fallback
    }

    public func optionalInt(_ key: String) throws(Failure) -> Int? {
        guard let value = values[key] else { return nil }
        guard let number = Self.integer(value) else { throw wrongType(key, "an integer", value) }
        return number
    }

    public func float(_ key: String, default fallback: Float) throws(Failure) -> Float {
        guard let value = values[key] else { return fallback }
        guard case let .number(number) = value else { throw wrongType(key, "a number", value) }
        return Float(number)
    }

    public func bool(_ key: String, default fallback: Bool) throws(Failure) -> Bool {
        guard let value = values[key] else { return fallback }
        guard case let .bool(flag) = value else { throw wrongType(key, "true or false", value) }
        return flag
    }

    public func string(_ key: String, default fallback: String? = nil) throws(Failure) -> String? {
        guard let value = values[key] else { return fallback }
        guard case let .string(text) = value else { throw wrongType(key, "a string", value) }
        return text
    }

    public func strings(_ key: String, default fallback: [String]) throws(Failure) -> [String] {
        try list(key, default: fallback, of: "strings") { (item: ConfigJSONValue) -> String? in
            if case let .string(text) = item { text } else { nil }
        }
    }

    public func ints(_ key: String, default fallback: [Int]) throws(Failure) -> [Int] {
        try list(key, default: fallback, of: "integers", Self.integer)
    }

    /// A key that holds one value for every block or a list with one per block (diffusers' convention).
    public func intPerBlock(_ key: String, default fallback: Int?, blocks: Int) throws(Failure) -> [Int] {
        guard let value = values[key] else {
            guard let fallback else { throw .configInvalid(file: file, key: key, reason: "is missing and has no default") }
            return Array(repeating: fallback, count: blocks)
        }
        guard case .array = value else { return Array(repeating: try int(key, default: 0), count: blocks) }
        return try perBlock(key, ints(key, default: []), blocks: blocks)
    }

    public func boolPerBlock(_ key: String, default fallback: Bool, blocks: Int) throws(Failure) -> [Bool] {
        guard let value = values[key] else { return Array(repeating: fallback, count: blocks) }
        guard case .array = value else { return Array(repeating: try bool(key, default: fallback), count: blocks) }
        let flags = try list(key, default: [], of: "true/false values") { (item: ConfigJSONValue) -> Bool? in
            if case let .bool(flag) = item { flag } else { nil }
        }
        return try perBlock(key, flags, blocks: blocks)
    }

    /// Rejects a value the reader does not implement; `supported` holds the accepted ones (nil stands for absent or null).
    public func require(_ key: String, in supported: [String?]) throws(Failure) {
        let actual = values[key]?.text
        guard supported.contains(actual) else { throw unsupported(key) }
    }

    /// The error for a key whose value the reader does not implement.
    public func unsupported(_ key: String) -> Failure {
        .configUnsupported(file: file, key: key, value: values[key]?.text ?? "null")
    }

    private func list<Element>(_ key: String, default fallback: [Element], of kind: String,
                               _ element: (ConfigJSONValue) -> Element?) throws(Failure) -> [Element] {
        guard let value = values[key] else { return fallback }
        guard case let .array(items) = value else { throw wrongType(key, "a list of \(kind)", value) }
        var result: [Element] = []
        for item in items {
            guard let converted = element(item) else { throw wrongType(key, "a list of \(kind)", value) }
            result.append(converted)
        }
        return result
    }

    private func perBlock<Element>(_ key: String, _ list: [Element], blocks: Int) throws(Failure) -> [Element] {
        guard list.count == blocks else { throw .configInvalid(file: file, key: key, reason: "has \(list.count) entries for \(blocks) blocks") }
        return list
    }

    private func wrongType(_ key: String, _ expected: String, _ value: ConfigJSONValue) -> Failure {
        .configWrongType(file: file, key: key, expected: expected, found: value.text)
    }

    private static func integer(_ value: ConfigJSONValue) -> Int? {
        guard case let .number(number) = value, number == number.rounded(), abs(number) < 1e12 else { return nil }
        return Int(number)
    }
}
