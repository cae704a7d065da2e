import Foundation

/// A scheduler_config.json as read by diffusers' `from_config`: each scheduler takes the keys it
/// knows and its own defaults for the rest, so one checkpoint config serves every scheduler.
public struct SchedulerConfig: Sendable {
    public enum Value: Sendable, Equatable, Decodable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Value])
        case object([String: Value])

        public init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([Value].self) { self = .array(value) }
            else { self = .object(try container.decode([String: Value].self)) }
        }

        var text: String {
            switch self {
            case .null: return "null"
            case .bool(let value): return String(value)
            case .number(let value): return String(value)
            case .string(let value): return "\"\(value)\""
            case .array(let values): return "[\(values.count) values]"
            case .object: return "{...}"
            }
        }
    }

    public let values: [String: Value]

    public init(values: [String: Value]) {
        self.values = values
    }

    /// Parses JSON; Python's bare `Infinity`, `-Infinity` and `NaN` (which diffusers can write) are accepted.
    public init(json data: Data, source: URL) throws {
        var text = String(decoding: data, as: UTF8.self)
        for (token, replacement) in [("-Infinity", "\"-inf\""), ("Infinity", "\"inf\""), ("NaN", "\"nan\"")] {
            text = text.replacingOccurrences(of: ": \(token)", with: ": \(replacement)")
                .replacingOccurrences(of: ":\(token)", with: ":\(replacement)")
        }
        do {
            values = try JSONDecoder().decode([String: Value].self, from: Data(text.utf8))
        } catch {
            throw SchedulerError.unreadableConfig(source, detail: "not a JSON object (\(error))")
        }
    }

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SchedulerError.unreadableConfig(url, detail: error.localizedDescription)
        }
        try self.init(json: data, source: url)
    }

    /// The scheduler class the checkpoint names (`_class_name`).
    public var className: String? {
        if case .string(let name)? = values["_class_name"] { return name }
        return nil
    }

    func int(_ key: String, default fallback: Int) throws -> Int {
        switch values[key] {
        case nil, .null?: return fallback
        case .number(let value)? where value == value.rounded() && abs(value) < 1e15: return Int(value)
        case let other?: throw SchedulerError.invalidValue(key: key, value: other.text, expected: "an integer")
        }
    }

    func double(_ key: String, default fallback: Double) throws -> Double {
        try optionalDouble(key) ?? fallback
    }

    func optionalDouble(_ key: String) throws -> Double? {
        switch values[key] {
        case nil, .null?: return nil
        case .number(let value)?: return value
        case .string(let text)?:
            switch text.lowercased() {
            case "inf", "infinity": return .infinity
            case "-inf", "-infinity": return -.infinity
            default: throw SchedulerError.invalidValue(key: key, value: "\"\(text)\"", expected: "a number")
            }
        case let other?: throw SchedulerError.invalidValue(key: key, value: other.text, expected: "a number")
        }
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        switch values[key] {
        case nil, .null?: return fallback
        case .bool(let value)?: return value
        case let other?: throw SchedulerError.invalidValue(key: key, value: other.text, expected: "true or false")
        }
    }

    func string(_ key: String, default fallback: String, allowed: [String]) throws -> String {
        switch values[key] {
        case nil, .null?: return fallback
        case .string(let value)? where allowed.contains(value): return value
        case let other?:
            throw SchedulerError.invalidValue(key: key, value: other.text, expected: "one of \(allowed.joined(separator: ", "))")
        }
    }

    func optionalString(_ key: String) throws -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw SchedulerError.invalidValue(key: key, value: other.text, expected: "a string or null")
        }
    }

    func optionalDoubles(_ key: String) throws -> [Double]? {
        switch values[key] {
        case nil, .null?: return nil
        case .array(let items)?:
            return try items.map { item in
                guard case .number(let value) = item else {
                    throw SchedulerError.invalidValue(key: key, value: item.text, expected: "a list of numbers")
                }
                return value
            }
        case let other?: throw SchedulerError.invalidValue(key: key, value: other.text, expected: "a list of numbers or null")
        }
    }
}
