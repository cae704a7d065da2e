import DepotFormats
import Foundation

/// A component's config.json with typed access; an absent or null key means the library default.
struct ConfigFile: Sendable {
    let path: String
    private let values: [String: ConfigJSONValue]

    init(url: URL) throws(ModelLoadError) {
        path = url.path
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .missingFile(path: url.path) }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .invalidConfig(file: url.path, reason: "not JSON (\(error.localizedDescription))")
        }
        guard let dictionary = object as? [String: Any] else { throw .invalidConfig(file: url.path, reason: "not a JSON object") }
        values = dictionary.compactMapValues(ConfigJSONValue.init)
    }

    func has(_ key: String) -> Bool { values[key] != nil }

    func int(_ key: String, default fallback: Int) throws(ModelLoadError) -> Int {
        guard let value = values[key] else { return fallback }
        guard case let .number(number) = value, number == number.rounded() else { throw .wrongType(file: path, key: key, expected: "an integer") }
        return Int(number)
    }

    func optionalInt(_ key: String) throws(ModelLoadError) -> Int? {
        guard has(key) else { return nil }
        return try int(key, default: 0)
    }

    func float(_ key: String, default fallback: Float) throws(ModelLoadError) -> Float {
        guard let value = values[key] else { return fallback }
        guard case let .number(number) = value else { throw .wrongType(file: path, key: key, expected: "a number") }
        return Float(number)
    }

    func bool(_ key: String, default fallback: Bool) throws(ModelLoadError) -> Bool {
        guard let value = values[key] else { return fallback }
        guard case let .bool(flag) = value else { throw .wrongType(file: path, key: key, expected: "true or false") }
        return flag
    }

    func string(_ key: String, default fallback: String?) throws(ModelLoadError) -> String? {
        guard let value = values[key] else { return fallback }
        guard case let .string(text) = value else { throw .wrongType(file: path, key: key, expected: "a string") }
        return text
    }

    func strings(_ key: String, default fallback: [String]) throws(ModelLoadError) -> [String] {
        guard let value = values[key] else { return fallback }
        guard case let .array(items) = value else { throw .wrongType(file: path, key: key, expected: "a list of strings") }
        var result: [String] = []
        for item in items {
            guard case let .string(text) = item else { throw .wrongType(file: path, key: key, expected: "a list of strings") }
            result.append(text)
        }
        return result
    }

    /// A key that is either one integer for every block or a list with one per block.
    func intPerBlock(_ key: String, default fallback: Int, blocks: Int) throws(ModelLoadError) -> [Int] {
        guard let value = values[key] else { return Array(repeating: fallback, count: blocks) }
        switch value {
        case let .number(number) where number == number.rounded():
            return Array(repeating: Int(number), count: blocks)
        case let .array(items):
            var result: [Int] = []
            for item in items {
                guard case let .number(number) = item, number == number.rounded() else {
                    throw .wrongType(file: path, key: key, expected: "an integer or a list of integers")
                }
                result.append(Int(number))
            }
            guard result.count == blocks else {
                throw .invalidConfig(file: path, reason: "'\(key)' has \(result.count) entries for \(blocks) blocks")
            }
            return result
        default:
            throw .wrongType(file: path, key: key, expected: "an integer or a list of integers")
        }
    }

    func ints(_ key: String, default fallback: [Int]) throws(ModelLoadError) -> [Int] {
        guard has(key) else { return fallback }
        return try intPerBlock(key, default: 0, blocks: arrayCount(key) ?? 1)
    }

    private func arrayCount(_ key: String) -> Int? {
        if case let .array(items) = values[key] { return items.count }
        return nil
    }

    /// Rejects a value the runner does not implement; `supported` holds the accepted ones (nil = absent/null).
    func require(_ key: String, in supported: [String?]) throws(ModelLoadError) {
        let actual = values[key]?.text
        guard supported.contains(actual) else {
            throw .unsupported(file: path, key: key, value: actual ?? "null")
        }
    }

    func unsupported(_ key: String) -> ModelLoadError {
        .unsupported(file: path, key: key, value: values[key]?.text ?? "null")
    }
}
