import DepotRunner
import Foundation
import Testing

/// The verdict of a smoke image, as `depot smoke` and `POST /v1/smoke` both decide it.
@Suite("smoke image checks")
struct ImageChecksTests {
    static func image(_ values: [Float]) -> Tensor { Tensor(shape: [values.count / 3, 1, 3], data: values) }

    @Test("a varied image passes every check")
    func varied() throws {
        let values = (0..<300).map { Float($0 % 50) / 60 + 0.05 }
        let checks = ImageChecks.evaluate(Self.image(values))
        #expect(checks.count == 4 && checks.allSatisfy { $0.passed })
        let report = SmokeReport(model: "/m", checks: checks, generation: try Self.generation())
        #expect(report.status == "pass" && report.summary == "all checks passed")
    }

    @Test("NaN fails `finite` alone; a flat grey fails `not constant`; black fails brightness and saturation")
    func failures() throws {
        var withNaN = [Float](repeating: 0.5, count: 30)
        withNaN[7] = .nan
        let nanChecks = ImageChecks.evaluate(Self.image(withNaN))
        #expect(nanChecks.map(\.name) == ["finite"] && nanChecks[0].passed == false)
        #expect(nanChecks[0].detail == "1 of 30 values are NaN or infinite")

        let grey = ImageChecks.evaluate(Self.image([Float](repeating: 0.5, count: 30)))
        #expect(grey.filter { !$0.passed }.map(\.name) == ["not constant"])

        let black = ImageChecks.evaluate(Self.image([Float](repeating: 0, count: 30)))
        #expect(black.filter { !$0.passed }.map(\.name) == ["not constant", "mean brightness", "not saturated"])
        let report = SmokeReport(model: "/m", checks: black, generation: try Self.generation())
        #expect(report.status == "fail" && !report.passed)
        #expect(report.summary.hasPrefix("not constant: standard deviation 0.0000"))
    }

    /// A generation record as JSON would bring it back (the checks do not depend on it).
    static func generation() throws -> GenerateReport {
        let json = #"{"timings": {"load_s": 0, "text_s": 0, "denoise_s": 0, "decode_s": 0, "total_s": 0}, "peak_rss_mb": 1,"#
            + #" "output": "/o.png", "seed": 0, "scheduler": "PNDMScheduler", "width": 8, "height": 8}"#
        return try JSONDecoder().decode(GenerateReport.self, from: Data(json.utf8))
    }
}
