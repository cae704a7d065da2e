/// Element-wise arithmetic on latent samples (flat float32 arrays of equal length).
enum SampleMath {
    /// a * x + b * y
    static func combine(_ a: Double, _ x: [Float], _ b: Double, _ y: [Float]) -> [Float] {
        precondition(x.count == y.count, "sample sizes differ: \(x.count) vs \(y.count)")
        let a = Float(a), b = Float(b)
        var result = [Float](repeating: 0, count: x.count)
        for index in x.indices { result[index] = a * x[index] + b * y[index] }
        return result
    }

    static func scale(_ x: [Float], by factor: Double) -> [Float] {
        let factor = Float(factor)
        return x.map { $0 * factor }
    }

    static func clamp(_ x: [Float], to range: Double) -> [Float] {
        let bound = Float(range)
        return x.map { min(max($0, -bound), bound) }
    }

    /// Dynamic thresholding (Imagen): s = the `ratio` quantile of |x| clamped to [1, maxValue];
    /// x is clamped to [-s, s] and divided by s. The sample is one batch item.
    static func dynamicThreshold(_ x: [Float], ratio: Double, maxValue: Double) -> [Float] {
        guard !x.isEmpty else { return x }
        let sorted = x.map { abs($0) }.sorted()
        let position = ratio * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = Float(position - Double(lower))
        let quantile = sorted[lower] + fraction * (sorted[upper] - sorted[lower])
        let s = min(max(quantile, 1), Float(maxValue))
        return x.map { min(max($0, -s), s) / s }
    }
}
