import Foundation

/// What makes a smoke image believable: every value finite, not one flat colour, not all black or white.
/// The one place that decides whether a smoke generation passed (the CLI and the daemon both use it).
public enum ImageChecks {
    public struct Check: Sendable, Codable, Equatable {
        public let name: String
        public let passed: Bool
        public let detail: String

        public init(name: String, passed: Bool, detail: String) {
            self.name = name
            self.passed = passed
            self.detail = detail
        }
    }

    /// The checks of an HxWx3 image in [0, 1]; all must pass for the smoke test to pass.
    public static func evaluate(_ image: Tensor) -> [Check] {
        evaluate(values: image.data)
    }

    static func evaluate(values: [Float]) -> [Check] {
        let finite = values.allSatisfy(\.isFinite)
        guard finite, !values.isEmpty else {
            return [Check(name: "finite", passed: false, detail: "\(values.filter { !$0.isFinite }.count) of \(values.count) values are NaN or infinite")]
        }
        let count = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / count
        let deviation = (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count).squareRoot()
        let saturated = Double(values.filter { $0 <= 0 || $0 >= 1 }.count) / count
        return [
            Check(name: "finite", passed: true, detail: "all \(values.count) values finite"),
            Check(name: "not constant", passed: deviation > 0.01, detail: String(format: "standard deviation %.4f (needs > 0.01)", deviation)),
            Check(name: "mean brightness", passed: (0.02...0.98).contains(mean), detail: String(format: "mean %.3f (needs 0.02...0.98)", mean)),
            Check(name: "not saturated", passed: saturated < 0.9, detail: String(format: "%.1f%% of values clipped to 0 or 1 (needs < 90%%)", saturated * 100)),
        ]
    }
}
