import Foundation

/// A value of a diffusers/transformers config.json, read through JSONSerialization. JSON null has no
/// case: dropping it makes a null key read as absent, i.e. as the library default.
public enum ConfigJSONValue: Sendable, Equatable {
    case number(Double)
    case bool(Bool)
    case string(String)
    case array([ConfigJSONValue])
    case object([String: ConfigJSONValue])

    public init?(_ any: Any) {
        switch any {
        case is NSNull: return nil
        case let number as NSNumber:
            // JSON booleans arrive as NSNumbers whose ObjC type is "c" (char).
            if String(cString: number.objCType) == "c" { self = .bool(number.boolValue) } else { self = .number(number.doubleValue) }
        case let text as String: self = .string(text)
        case let items as [Any]: self = .array(items.compactMap(ConfigJSONValue.init))
        case let dictionary as [String: Any]: self = .object(dictionary.compactMapValues(ConfigJSONValue.init))
        default: return nil
        }
    }

    /// A compact rendering for error messages and comparisons.
    public var text: String {
        switch self {
        case let .number(number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case let .bool(flag): String(flag)
        case let .string(text): text
        case let .array(items): "[" + items.map(\.text).joined(separator: ", ") + "]"
        case let .object(dictionary): "{" + dictionary.keys.sorted().joined(separator: ", ") + "}"
        }
    }
}
