import Foundation

/// The numbers of `torch.Generator("cpu").manual_seed(seed)` followed by `torch.randn`, so a
/// seed reproduces diffusers' initial latents.
///
/// torch draws normals in two ways. Tensors of 16 or more elements: every element first gets a
/// float uniform (24 random bits), then each block of 16 is turned into normals by Box-Muller
/// (elements j and j+8 of a block share one pair); when the count is not a multiple of 16 the last
/// 16 elements are drawn again and transformed as one more block. Smaller tensors: one double
/// Box-Muller pair (53-bit uniforms) gives two successive elements, the second kept in a cache.
public struct TorchGenerator: Sendable {
    private var engine: MersenneTwister
    private var cachedNormal: Double?

    public init(seed: UInt64) {
        engine = MersenneTwister(seed: seed)
    }

    /// `torch.randn(count)` as float32 (the shape does not matter, only the element count).
    public mutating func randn(count: Int) -> [Float] {
        guard count > 0 else { return [] }
        if count < 16 {
            return (0..<count).map { _ in Float(nextDoubleNormal()) }
        }
        var values = (0..<count).map { _ in nextFloatUniform() }
        var block = 0
        while block + 16 <= count {
            Self.boxMuller16(&values, at: block)
            block += 16
        }
        if count % 16 != 0 {
            let start = count - 16
            for offset in 0..<16 { values[start + offset] = nextFloatUniform() }
            Self.boxMuller16(&values, at: start)
        }
        return values
    }

    /// A uniform float in [0, 1) from the low 24 bits of one 32-bit draw.
    mutating func nextFloatUniform() -> Float {
        Float(engine.next() & 0xFF_FFFF) * (1.0 / 16_777_216.0)
    }

    /// A uniform double in [0, 1) from the low 53 bits of two 32-bit draws (first draw high).
    mutating func nextDoubleUniform() -> Double {
        let high = UInt64(engine.next())
        let low = UInt64(engine.next())
        return Double(((high << 32) | low) & ((1 << 53) - 1)) * (1.0 / 9_007_199_254_740_992.0)
    }

    private mutating func nextDoubleNormal() -> Double {
        if let cached = cachedNormal {
            cachedNormal = nil
            return cached
        }
        let u1 = nextDoubleUniform()
        let u2 = nextDoubleUniform()
        let radius = (-2.0 * log1p(-u2)).squareRoot()
        let theta = 2.0 * Double.pi * u1
        cachedNormal = radius * sin(theta)
        return radius * cos(theta)
    }

    /// Box-Muller on 16 uniforms in place, in float32 like torch's kernel.
    private static func boxMuller16(_ values: inout [Float], at start: Int) {
        let twoPi = Float(2.0 * Double.pi)
        for j in 0..<8 {
            let u1 = 1 - values[start + j]
            let u2 = values[start + j + 8]
            let radius = Float((-2.0 * log(Double(u1))).squareRoot())
            let theta = Double(twoPi * u2)
            values[start + j] = radius * Float(cos(theta))
            values[start + j + 8] = radius * Float(sin(theta))
        }
    }
}
