/// MT19937, the 32-bit Mersenne Twister, seeded the way torch's CPU generator seeds it
/// (the low 32 bits of the seed, Knuth's initialisation multiplier).
struct MersenneTwister: Sendable {
    private static let stateSize = 624
    private static let shift = 397
    private static let matrixA: UInt32 = 0x9908_B0DF
    private static let upperMask: UInt32 = 0x8000_0000
    private static let lowerMask: UInt32 = 0x7FFF_FFFF

    private var state: [UInt32]
    private var index: Int

    init(seed: UInt64) {
        state = [UInt32](repeating: 0, count: Self.stateSize)
        state[0] = UInt32(truncatingIfNeeded: seed)
        for j in 1..<Self.stateSize {
            let previous = state[j - 1]
            state[j] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(j)
        }
        index = Self.stateSize
    }

    mutating func next() -> UInt32 {
        if index >= Self.stateSize { regenerate() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func regenerate() {
        let n = Self.stateSize
        for k in 0..<n {
            let y = (state[k] & Self.upperMask) | (state[(k + 1) % n] & Self.lowerMask)
            state[k] = state[(k + Self.shift) % n] ^ (y >> 1) ^ ((y & 1) != 0 ? Self.matrixA : 0)
        }
        index = 0
    }
}
