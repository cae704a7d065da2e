import DepotCore
import Foundation

/// Parsers for the Hub's response header values.
enum HeaderValues {
    /// `W/"abc"` -> `abc`: drops the weak marker and the quotes.
    static func normalizedETag(_ raw: String) -> String {
        var value = raw.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("W/") { value.removeFirst(2) }
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// The target of the `rel="next"` entry of a `Link` header, if any.
    static func nextLink(_ header: String) -> String? {
        for entry in header.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let isNext = parts.dropFirst().contains { parameter in
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == "rel" else { return false }
                let rels = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).split(separator: " ")
                return rels.contains { $0.lowercased() == "next" }
            }
            if isNext { return String(target.dropFirst().dropLast()) }
        }
        return nil
    }

    /// `Retry-After` as seconds: either delta-seconds or an HTTP date (relative to `now`).
    static func retryAfterSeconds(_ header: String, now: Date = Date()) -> Double? {
        let value = header.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(value), seconds >= 0 { return seconds }
        guard let date = UTCTimestamp.parse(value, .http) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// `bytes 100-199/1000` -> (100, 199, 1000); the total may be `*`.
    static func contentRange(_ header: String) -> (first: Int64, last: Int64, total: Int64?)? {
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = value.dropFirst(6).split(separator: "/", maxSplits: 1)
        guard spec.count == 2 else { return nil }
        let bounds = spec[0].split(separator: "-", maxSplits: 1)
        guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]) else { return nil }
        return (first, last, Int64(spec[1]))
    }
}
