import DepotFormats
import Foundation

/// A component's config.json with typed access. An absent or null key means the library default,
/// as diffusers and transformers treat them.
public struct ComponentConfig: Sendable {
    /// The path used in error messages (relative to the model root when known).
    public let file: String
    private let values: [String: ConfigJSONValue]
    /// Top-level keys written as null: for a few keys diffusers reads null differently from absent.
    private let nulls: Set<String>

    public init(url: URL, displayName: String) throws(ConfigError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: displayName, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(data: data, file: displayName)
    }

    public init(data: Data, file: String) throws(ConfigError) {
        self.file = file
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .unreadable(file: file, reason: "not JSON")
        }
        guard let dictionary = object as? [String: Any] else { throw .unreadable(file: file, reason: "not a JSON object") }
        values = dictionary.compactMapValues(ConfigJSONValue.init)
        nulls = Set(dictionary.filter { $0.value is NSNull }.keys)
    }

    public func isExplicitNull(_ key: String) -> Bool { nulls.contains(key) }

    public func has(_ key: String) -> Bool { values[key] != nil }
    public var keys: [String] { values.keys.sorted() }

    public func int(_ key: String, default fallback: Int) throws(ConfigError) -> Int {
        try optionalInt(key) ?? fallback
    }

    public func optionalInt(_ key: String) throws(ConfigError) -> Int? {
        guard let value = values[key] else { return nil }
        guard case let .number(number) = value, number == number.rounded(), abs(number) < 1e12 else {
            throw .wrongType(file: file, key: key, expected: "an integer", found: value.text)
        }
        return Int(number)
    }

    public func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let value = values[key] else { return fallback }
        guard case let .bool(flag) = value else { throw .wrongType(file: file, key: key, expected: "true or false", found: value.text) }
        return flag
    }

    public func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = values[key] else { return nil }
        guard case let .string(text) = value else { throw .wrongType(file: file, key: key, expected: "a string", found: value.text) }
        return text
    }

    public func strings(_ key: String, default fallback: [String]) throws(ConfigError) -> [String] {
        guard let value = values[key] else { return fallback }
        guard case let .array(items) = value else { throw .wrongType(file: file, key: key, expected: "a list of strings", found: value.text) }
        return try items.map { item throws(ConfigError) in
            guard case let .string(text) = item else { throw .wrongType(file: file, key: key, expected: "a list of strings", found: value.text) }
            return text
        }
    }

    public func ints(_ key: String, default fallback: [Int]) throws(ConfigError) -> [Int] {
        guard let value = values[key] else { return fallback }
        guard case let .array(items) = value else { throw .wrongType(file: file, key: key, expected: "a list of integers", found: value.text) }
        return try items.map { item throws(ConfigError) in
            guard case let .number(number) = item, number == number.rounded(), abs(number) < 1e12 else {
                throw .wrongType(file: file, key: key, expected: "a list of integers", found: value.text)
            }
            return Int(number)
        }
    }

    /// A key that holds one value for every block or a list with one per block (diffusers' convention).
    public func intPerBlock(_ key: String, default fallback: Int?, blocks: Int) throws(ConfigError) -> [Int] {
        guard let value = values[key] else {
            guard let fallback else { throw .invalid(file: file, key: key, reason: "is missing and has no default") }
            return Array(repeating: fallback, count: blocks)
        }
        if case .array = value {
            let list = try ints(key, default: [])
            guard list.count == blocks else {
                throw .invalid(file: file, key: key, reason: "has \(list.count) entries for \(blocks) blocks")
            }
            return list
        }
        return Array(repeating: try int(key, default: 0), count: blocks)
    }

    public func boolPerBlock(_ key: String, default fallback: Bool, blocks: Int) throws(ConfigError) -> [Bool] {
        guard let value = values[key] else { return Array(repeating: fallback, count: blocks) }
        if case let .array(items) = value {
            let flags = try items.map { item throws(ConfigError) in
                guard case let .bool(flag) = item else { throw .wrongType(file: file, key: key, expected: "true/false or a list of them", found: value.text) }
                return flag
            }
            guard flags.count == blocks else { throw .invalid(file: file, key: key, reason: "has \(flags.count) entries for \(blocks) blocks") }
            return flags
        }
        return Array(repeating: try bool(key, default: fallback), count: blocks)
    }

    /// Rejects values the tensor layout does not model (nil stands for absent or null).
    public func require(_ key: String, in supported: [String?]) throws(ConfigError) {
        let actual = values[key]?.text
        guard supported.contains(actual) else { throw .unsupported(file: file, key: key, value: actual ?? "null") }
    }

    public func text(_ key: String) -> String? { values[key]?.text }
}
