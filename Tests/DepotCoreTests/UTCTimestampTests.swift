import DepotCore
import Foundation
import Testing

/// UTCTimestamp against Foundation's own formatters (ICU), the reference for every style.
@Suite struct UTCTimestampTests {
    static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }

    /// Whole milliseconds from 1600 to 2400, with leap days, century years and the epoch itself.
    static let samples: [Date] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var dates = [-11_676_096_000_000, -2_203_891_200_000, -1, 0, 1, 951_782_400_000, 951_868_799_999, 4_107_542_400_000,
                     13_574_563_200_000].map { Date(timeIntervalSince1970: Double($0) / 1000) }
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let milliseconds = Int64(bitPattern: state >> 1) % 25_246_080_000_000 - 11_676_096_000_000
            dates.append(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        }
        return dates
    }()

    @Test func everyStyleMatchesFoundation() {
        let references: [(UTCTimestamp.Style, DateFormatter)] = [
            (.iso8601, Self.formatter("yyyy-MM-dd'T'HH:mm:ss'Z'")),
            (.iso8601Milliseconds, Self.formatter("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")),
            (.sqlite, Self.formatter("yyyy-MM-dd HH:mm:ss.SSS")),
            (.http, Self.formatter("EEE, dd MMM yyyy HH:mm:ss 'GMT'")),
        ]
        for date in Self.samples {
            for (style, reference) in references {
                #expect(UTCTimestamp(date).formatted(style) == reference.string(from: date), "\(style) of \(date.timeIntervalSince1970)")
            }
        }
    }

    @Test func parsingReadsBackWhatFormattingWrote() {
        for date in Self.samples {
            let timestamp = UTCTimestamp(date)
            #expect(UTCTimestamp.parse(timestamp.formatted(.iso8601Milliseconds), .iso8601) == timestamp.date)
            #expect(UTCTimestamp.parse(timestamp.formatted(.sqlite), .sqlite) == timestamp.date)
            let wholeSeconds = Date(timeIntervalSince1970: (timestamp.date.timeIntervalSince1970).rounded(.down))
            #expect(UTCTimestamp.parse(timestamp.formatted(.iso8601), .iso8601) == wholeSeconds)
            #expect(UTCTimestamp.parse(timestamp.formatted(.http), .http) == wholeSeconds)
        }
    }

    @Test func parsingAcceptsOffsetsAndShorterSQLiteForms() {
        let reference = Date(timeIntervalSince1970: 1_764_205_323)  // 2025-11-27T01:02:03Z
        #expect(UTCTimestamp.parse("2025-11-27T03:02:03+02:00", .iso8601) == reference)
        #expect(UTCTimestamp.parse("2025-11-26T20:02:03-05:00", .iso8601) == reference)
        #expect(UTCTimestamp.parse("2025-11-27T01:02:03.5Z", .iso8601) == reference.addingTimeInterval(0.5))
        #expect(UTCTimestamp.parse("2025-11-27 01:02:03", .sqlite) == reference)
        #expect(UTCTimestamp.parse("2025-11-27T01:02:03.000", .sqlite) == reference)
        #expect(UTCTimestamp.parse("2025-11-27 01:02", .sqlite) == reference.addingTimeInterval(-3))
    }

    @Test func malformedTextIsRejected() {
        let bad: [(String, UTCTimestamp.Style)] = [
            ("", .iso8601), ("2025-11-27", .iso8601), ("2025-11-27T01:02:03", .iso8601), ("2025-13-01T00:00:00Z", .iso8601),
            ("2025-02-29T00:00:00Z", .iso8601), ("2025-11-27T24:00:00Z", .iso8601), ("2025-11-27T01:02:03.Z", .iso8601),
            ("2025-11-27T01:02:03Z trailing", .iso8601), ("2025-11-27 01:02:03", .iso8601), ("2025-11-27T01:02:03+2:00", .iso8601),
            ("Thu, 27 Nov 2025 01:02:03 UTC", .http), ("Thu, 27 Nov 2025 01:02:03 GMT", .sqlite), ("2025-11-27 1:02:03", .sqlite),
        ]
        for (text, style) in bad {
            #expect(UTCTimestamp.parse(text, style) == nil, "\(text) as \(style)")
        }
        #expect(UTCTimestamp.parse("Thu, 27 Nov 2025 01:02:03 GMT", .http) != nil)
        // 2025-11-27 was a Thursday: a date whose weekday disagrees is not trusted.
        #expect(UTCTimestamp.parse("Fri, 27 Nov 2025 01:02:03 GMT", .http) == nil)
    }

    @Test func jsonStrategiesWriteWhatISO8601WritesAndReadItBack() throws {
        struct Stamped: Codable, Equatable { var at: Date }
        let value = Stamped(at: Date(timeIntervalSince1970: 1_764_205_323))
        let ours = JSONEncoder()
        ours.dateEncodingStrategy = .utcISO8601
        let foundations = JSONEncoder()
        foundations.dateEncodingStrategy = .iso8601
        let data = try ours.encode(value)
        #expect(data == (try foundations.encode(value)))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .utcISO8601
        #expect(try decoder.decode(Stamped.self, from: data) == value)
        #expect(throws: DecodingError.self) { try decoder.decode(Stamped.self, from: Data(#"{"at":"27/11/2025"}"#.utf8)) }
    }
}
