/// exp and erf written as branch-free polynomials so elementwise loops vectorise; libm's
/// scalar calls dominated the activations and softmax otherwise. Accuracy: exp within ~2 ulp
/// (Cephes' expf polynomial), erf within 1.5e-7 absolute (Abramowitz & Stegun 7.1.26).
enum FastMath {
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87.3), 88.7)
        // Adding and removing 1.5·2^23 rounds to the nearest integer without a libm call.
        let n = (clamped * 1.442_695_04 + 12_582_912) - 12_582_912
        // r = x - n·ln2, with ln2 split in two so the subtraction stays exact.
        let r = (clamped - n * 0.693_359_375) + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let mantissa = p * r * r + r + 1
        let scale = Float(bitPattern: UInt32(bitPattern: Int32(n) + 127) << 23)
        return mantissa * scale
    }

    @inline(__always)
    static func erf(_ x: Float) -> Float {
        let a = Swift.abs(x)
        let t = 1 / (1 + 0.327_591_1 * a)
        var poly: Float = 1.061_405_429
        poly = poly * t - 1.453_152_027
        poly = poly * t + 1.421_413_741
        poly = poly * t - 0.284_496_736
        poly = poly * t + 0.254_829_592
        let value = 1 - poly * t * exp(-a * a)
        return x < 0 ? -value : value
    }
}
