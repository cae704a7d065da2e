import Testing
@testable import DepotRunner

@Suite struct OpsHalfWeightProductTests {
    /// Float16 bit patterns of `values` (rounded), and the floats they stand for.
    func halves(_ values: [Float]) -> (bits: [UInt16], exact: [Float]) {
        let bits = values.map { Float16($0).bitPattern }
        return (bits, bits.map { Float(Float16(bitPattern: $0)) })
    }

    /// Shapes with partial register tiles (rows not a multiple of 12, columns not of 32), a k
    /// longer than one 256-deep block, and accumulation into a bias.
    @Test(arguments: [(1, 1, 1), (13, 33, 300), (24, 64, 256), (7, 5, 513), (40, 154, 77)])
    func productMatchesReference(shape: (m: Int, n: Int, k: Int)) throws {
        try #require(HalfWeightProduct.isAvailable, "this CPU has no AVX-512F: the float16-weight kernel is not used here")
        let (m, n, k) = shape
        var random = OpsTestValues(seed: UInt64(m * 1000 + n))
        let weight = halves(random.values(m * k))
        let x = random.values(k * n)
        for accumulate in [false, true] {
            let start = random.values(m * n)
            var c = start
            weight.bits.withUnsafeBytes { w in
                x.withUnsafeBufferPointer { xs in
                    c.withUnsafeMutableBufferPointer { cs in
                        HalfWeightProduct.multiply(weight: w.baseAddress!, m: m, k: k, x: xs.baseAddress!, ldx: n, n: n,
                                                   c: cs.baseAddress!, ldc: n, accumulate: accumulate)
                    }
                }
            }
            var worst = 0.0
            for i in 0..<m {
                for j in 0..<n {
                    var sum = accumulate ? Double(start[i * n + j]) : 0
                    for p in 0..<k { sum += Double(weight.exact[i * k + p]) * Double(x[p * n + j]) }
                    worst = max(worst, abs(Double(c[i * n + j]) - sum))
                }
            }
            #expect(worst < 1e-4)
        }
    }

    /// A linear layer and a 3x3 convolution through the float16 path against the float32 path
    /// on the same (float16-representable) weights.
    @Test func layersMatchTheFloat32Path() throws {
        try #require(HalfWeightProduct.isAvailable, "this CPU has no AVX-512F: the float16-weight kernel is not used here")
        var random = OpsTestValues(seed: 5)
        let x = random.tensor([3, 7, 20]), linearWeight = halves(random.values(9 * 20)), bias = random.values(9)
        let viaHalf = linearWeight.bits.withUnsafeBytes { x.linear(halfWeight: $0.baseAddress!, outFeatures: 9, bias: bias) }
        let viaFloat = x.linear(weight: Tensor(shape: [9, 20], data: linearWeight.exact), bias: bias)
        #expect(viaHalf.shape == [3, 7, 9])
        #expect(maxAbsDifference(viaHalf.data, viaFloat.data) < 1e-5)

        let image = random.tensor([2, 5, 6, 6]), kernel = halves(random.values(4 * 5 * 9)), convBias = random.values(4)
        let geometry = ConvolutionGeometry(input: image.shape, weight: [4, 5, 3, 3], stride: 2, padding: Padding2D(1))
        let convHalf = kernel.bits.withUnsafeBytes { image.conv2d(geometry, halfWeight: $0.baseAddress!, bias: convBias) }
        let convFloat = image.conv2d(weight: Tensor(shape: [4, 5, 3, 3], data: kernel.exact), bias: convBias, stride: 2,
                                     padding: Padding2D(1), algorithm: .direct)
        #expect(convHalf.shape == [2, 4, 3, 3])
        #expect(maxAbsDifference(convHalf.data, convFloat.data) < 1e-5)
    }
}
