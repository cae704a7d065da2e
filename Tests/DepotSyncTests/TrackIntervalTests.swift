import DepotSync
import Testing

@Suite struct TrackIntervalTests {
    @Test(arguments: [("6h", 21_600), ("30m", 1800), ("1d", 86_400), ("1h30m", 5400), ("90S", 90), ("2d12h", 216_000)])
    func readsUnits(text: String, seconds: Int) throws {
        #expect(try TrackInterval(parsing: text).seconds == seconds)
    }

    @Test(arguments: ["", "6", "h", "6x", "1h30", "-1h", "99999999999999999999d"])
    func rejectsMalformedText(text: String) {
        #expect(throws: TrackIntervalError(text: text)) { try TrackInterval(parsing: text) }
    }

    @Test func rejectsIntervalsBelowAMinute() {
        #expect(throws: TrackIntervalError(text: "30s", tooShort: true)) { try TrackInterval(parsing: "30s") }
    }

    @Test func printsInLargestUnits() {
        #expect(TrackInterval(seconds: 5400).description == "1h30m")
        #expect(TrackInterval.defaultInterval.description == "6h")
    }
}
