import Foundation

/// A point in time as UTC calendar fields, written and read as text by plain arithmetic.
///
/// Foundation's formatters and calendars resolve the current time zone and locale through ICU,
/// which maps several MB of ICU data into the process the first time any date is formatted; the
/// daemon formats dates on every request (JSON, catalog rows, the HTTP Date header) and its idle
/// memory is bounded. The proleptic Gregorian calendar in UTC needs none of that.
public struct UTCTimestamp: Sendable, Hashable, CustomStringConvertible {
    public enum Style: Sendable {
        /// `2026-11-27T01:02:03Z`, what JSONEncoder's `.iso8601` writes.
        case iso8601
        /// `2026-11-27T01:02:03.456Z`, the Hub API's form (huggingface_hub parses exactly this).
        case iso8601Milliseconds
        /// `2026-11-27 01:02:03.456`, GRDB's text form of a Date (the catalog's DATETIME columns).
        case sqlite
        /// `Fri, 27 Nov 2026 01:02:03 GMT`, the IMF-fixdate of HTTP (RFC 9110 section 5.6.7).
        case http
    }

    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var millisecond: Int

    /// The date to the nearest millisecond (text forms carry no more).
    public init(_ date: Date) {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, millisecondOfDay) = Self.floorDivision(milliseconds, 86_400_000)
        (year, month, day) = Self.civil(fromDays: days)
        hour = Int(millisecondOfDay / 3_600_000)
        minute = Int(millisecondOfDay / 60_000 % 60)
        second = Int(millisecondOfDay / 1000 % 60)
        millisecond = Int(millisecondOfDay % 1000)
    }

    public var date: Date {
        let days = Self.days(fromYear: year, month: month, day: day)
        let milliseconds = ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000 + Int64(second) * 1000 + Int64(millisecond)
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    public var weekday: Int {
        // 1970-01-01 was a Thursday (index 4 with Sunday = 0).
        Int(Self.floorDivision(Self.days(fromYear: year, month: month, day: day) + 4, 7).remainder)
    }

    public var description: String { formatted(.iso8601Milliseconds) }

    public func formatted(_ style: Style) -> String {
        let date = "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(day, 2))"
        let time = "\(Self.padded(hour, 2)):\(Self.padded(minute, 2)):\(Self.padded(second, 2))"
        switch style {
        case .iso8601: return "\(date)T\(time)Z"
        case .iso8601Milliseconds: return "\(date)T\(time).\(Self.padded(millisecond, 3))Z"
        case .sqlite: return "\(date) \(time).\(Self.padded(millisecond, 3))"
        case .http:
            return "\(Self.weekdayNames[weekday]), \(Self.padded(day, 2)) \(Self.monthNames[month - 1]) \(Self.padded(year, 4)) \(time) GMT"
        }
    }

    /// Reads the text `formatted(style)` writes. `.iso8601` and `.iso8601Milliseconds` both accept
    /// either precision and a `Z` or `±HH:MM` offset; `.sqlite` accepts `T` for the space and
    /// missing seconds or milliseconds (GRDB's own reader does). Nil for anything else.
    public static func parse(_ text: String, _ style: Style) -> Date? {
        var scanner = TimestampText(Array(text.utf8))
        switch style {
        case .iso8601, .iso8601Milliseconds, .sqlite:
            guard var fields = scanner.dateAndTime(separators: style == .sqlite ? [UInt8(ascii: " "), UInt8(ascii: "T")] : [UInt8(ascii: "T")],
                                                   secondsOptional: style == .sqlite) else { return nil }
            var offsetMinutes = 0
            if style != .sqlite {
                guard let offset = scanner.zoneOffsetMinutes() else { return nil }
                offsetMinutes = offset
            }
            guard scanner.atEnd, fields.isValid else { return nil }
            fields.millisecond = min(fields.millisecond, 999)
            return fields.date.addingTimeInterval(Double(-offsetMinutes * 60))
        case .http:
            guard let weekday = scanner.word(in: weekdayNames), scanner.take(","), scanner.take(" "),
                  let day = scanner.number(digits: 2), scanner.take(" "),
                  let month = scanner.word(in: monthNames), scanner.take(" "),
                  let year = scanner.number(digits: 4), scanner.take(" "),
                  let hour = scanner.number(digits: 2), scanner.take(":"),
                  let minute = scanner.number(digits: 2), scanner.take(":"),
                  let second = scanner.number(digits: 2), scanner.take(" GMT"), scanner.atEnd else { return nil }
            let fields = UTCTimestamp(year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second, millisecond: 0)
            guard fields.isValid, fields.weekday == weekday else { return nil }
            return fields.date
        }
    }

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second, self.millisecond) = (hour, minute, second, millisecond)
    }

    var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= Self.daysInMonth(year: year, month: month)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...60).contains(second) && (0...999).contains(millisecond)
    }

    private static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
        return (quotient, value - quotient * divisor)
    }

    private static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        month == 2 ? (isLeap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    // Days since 1970-01-01, counted in 400-year eras of 146,097 days whose years start on March 1,
    // so that the leap day is the last day of its year.
    private static func days(fromYear year: Int, month: Int, day: Int) -> Int64 {
        let marchYear = Int64(month <= 2 ? year - 1 : year)
        let era = floorDivision(marchYear, 400).quotient
        let yearOfEra = marchYear - era * 400
        let dayOfYear = (153 * Int64(month > 2 ? month - 3 : month + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivision(shifted, 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}

/// Reads ASCII fields left to right; each method consumes what it matched.
private struct TimestampText {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func take(_ literal: String) -> Bool {
        let expected = Array(literal.utf8)
        guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else { return false }
        index += expected.count
        return true
    }

    mutating func take(oneOf choices: [UInt8]) -> Bool {
        guard index < bytes.count, choices.contains(bytes[index]) else { return false }
        index += 1
        return true
    }

    mutating func number(digits: Int) -> Int? {
        guard bytes.count - index >= digits else { return nil }
        var value = 0
        for byte in bytes[index..<index + digits] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += digits
        return value
    }

    /// The index in `words` of the word at the current position.
    mutating func word(in words: [String]) -> Int? {
        for (position, word) in words.enumerated() where take(word) { return position }
        return nil
    }

    /// `YYYY-MM-DD<sep>HH:MM[:SS[.fraction]]`; the fraction is read to milliseconds.
    mutating func dateAndTime(separators: [UInt8], secondsOptional: Bool) -> UTCTimestamp? {
        guard let year = number(digits: 4), take("-"), let month = number(digits: 2), take("-"),
              let day = number(digits: 2), take(oneOf: separators),
              let hour = number(digits: 2), take(":"), let minute = number(digits: 2) else { return nil }
        var fields = UTCTimestamp(year: year, month: month, day: day, hour: hour, minute: minute)
        guard take(":") else { return secondsOptional ? fields : nil }
        guard let second = number(digits: 2) else { return nil }
        fields.second = second
        if take(".") {
            var scale = 100
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                fields.millisecond += Int(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        return fields
    }

    /// `Z` or `±HH:MM`, as minutes east of UTC.
    mutating func zoneOffsetMinutes() -> Int? {
        if take("Z") { return 0 }
        let sign: Int
        if take("+") { sign = 1 } else if take("-") { sign = -1 } else { return nil }
        guard let hours = number(digits: 2), take(":"), let minutes = number(digits: 2), hours < 24, minutes < 60 else { return nil }
        return sign * (hours * 60 + minutes)
    }
}

extension JSONEncoder.DateEncodingStrategy {
    /// `2026-11-27T01:02:03Z`, as `.iso8601` writes it, without Foundation's calendars (see UTCTimestamp).
    public static var utcISO8601: Self {
        .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(UTCTimestamp(date).formatted(.iso8601))
        }
    }
}

extension JSONDecoder.DateDecodingStrategy {
    /// Reads what `.utcISO8601` writes (and fractional seconds or a `±HH:MM` offset).
    public static var utcISO8601: Self {
        .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = UTCTimestamp.parse(text, .iso8601) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO 8601 date such as 2026-11-27T01:02:03Z, found \"\(text)\"")
            }
            return date
        }
    }
}
