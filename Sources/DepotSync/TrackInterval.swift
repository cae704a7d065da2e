/// How often a tracked model is checked: `--every 6h`, `30m`, `1d`, `90s`, or combined as `1h30m`.
public struct TrackInterval: Sendable, Equatable, CustomStringConvertible {
    public var seconds: Int

    public static let defaultInterval = TrackInterval(seconds: 6 * 3600)
    /// Checks more often than this would hammer the Hub for no benefit.
    public static let minimumSeconds = 60

    public init(seconds: Int) { self.seconds = seconds }

    public init(parsing text: String) throws(TrackIntervalError) {
        var total = 0
        var digits = ""
        var sawUnit = false
        for character in text.lowercased() {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Int(digits), let unit = Self.unitSeconds[character] else {
                throw TrackIntervalError(text: text)
            }
            let (product, overflow) = value.multipliedReportingOverflow(by: unit)
            guard !overflow else { throw TrackIntervalError(text: text) }
            total += product
            digits = ""
            sawUnit = true
        }
        guard sawUnit, digits.isEmpty else { throw TrackIntervalError(text: text) }
        guard total >= Self.minimumSeconds else { throw TrackIntervalError(text: text, tooShort: true) }
        seconds = total
    }

    public var description: String {
        var rest = seconds
        var parts = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            parts += "\(rest / size)\(unit)"
            rest %= size
        }
        return parts.isEmpty ? "0s" : parts
    }

    private static let unitSeconds: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
}

public struct TrackIntervalError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var tooShort: Bool

    public init(text: String, tooShort: Bool = false) {
        self.text = text
        self.tooShort = tooShort
    }

    public var description: String {
        tooShort
            ? "interval \"\(text)\" is shorter than \(TrackInterval.minimumSeconds) s: check less often, e.g. --every 1h"
            : "cannot read interval \"\(text)\": write a number with a unit s, m, h or d, e.g. --every 6h or 1h30m"
    }
}
