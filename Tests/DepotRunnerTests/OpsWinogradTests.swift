import Testing
@testable import DepotRunner

@Suite struct OpsWinogradTests {
    struct Case: Sendable, CustomStringConvertible {
        let batch: Int, channels: Int, outChannels: Int, height: Int, width: Int
        let padding: Padding2D

        var description: String { "\(batch)x\(channels)x\(height)x\(width) -> \(outChannels), padding \(padding)" }
    }

    static let cases: [Case] = [
        Case(batch: 2, channels: 3, outChannels: 5, height: 8, width: 8, padding: Padding2D(1)),
        Case(batch: 1, channels: 4, outChannels: 3, height: 7, width: 6, padding: Padding2D(1)),
        Case(batch: 2, channels: 5, outChannels: 2, height: 5, width: 9, padding: Padding2D(0)),
        Case(batch: 1, channels: 2, outChannels: 4, height: 6, width: 7, padding: Padding2D(top: 0, bottom: 1, left: 0, right: 1)),
        Case(batch: 3, channels: 6, outChannels: 7, height: 3, width: 3, padding: Padding2D(1)),
        Case(batch: 1, channels: 1, outChannels: 1, height: 1, width: 1, padding: Padding2D(1)),
        Case(batch: 1, channels: 17, outChannels: 9, height: 13, width: 11, padding: Padding2D(top: 2, bottom: 0, left: 1, right: 2)),
    ]

    @Test(arguments: cases, [ConvolutionAlgorithm.winograd2, .winograd4])
    func matchesDirectDefinition(_ c: Case, algorithm: ConvolutionAlgorithm) {
        var random = OpsTestValues(seed: UInt64(c.channels * 31 + c.height))
        let x = random.tensor([c.batch, c.channels, c.height, c.width])
        let w = random.tensor([c.outChannels, c.channels, 3, 3])
        let bias = random.values(c.outChannels)
        let got = x.conv2d(weight: w, bias: bias, padding: c.padding, algorithm: algorithm)
        let expected = naiveConv(x, w, bias, stride: 1, padding: c.padding)
        #expect(got.shape == expected.shape)
        #expect(maxAbsDifference(got.data, expected.data) < 2e-5 * max(1, expected.maxAbs))
    }

    @Test(arguments: [WinogradTiling.f2, .f4])
    func blocksAndSlicesGiveTheSameResult(tiling: WinogradTiling) throws {
        // Kernels read 2 output channels at a time, inputs in blocks of one tile row: the same
        // numbers as one slice and one block, and as the direct definition.
        var random = OpsTestValues(seed: 7)
        let x = random.tensor([2, 3, 9, 10])
        let w = random.tensor([5, 3, 3, 3])
        var reads: [Range<Int>] = []
        let sliced = WinogradKernels(tiling: tiling, outChannels: 5, inChannels: 3, sliceValues: 2 * 27) { rows in
            reads.append(rows)
            return Array(w.data[(rows.lowerBound * 27)..<(rows.upperBound * 27)])
        }
        #expect(reads == [0..<2, 2..<4, 4..<5])
        let whole = WinogradKernels(tiling: tiling, weight: w)
        #expect(sliced.values == whole.values)
        let blocked = x.conv2dWinograd(kernels: sliced, bias: nil, padding: Padding2D(1), blockLimit: 1)
        let single = x.conv2dWinograd(kernels: whole, bias: nil, padding: Padding2D(1))
        #expect(maxAbsDifference(blocked.data, single.data) == 0)
        #expect(maxAbsDifference(single.data, naiveConv(x, w, nil, stride: 1, padding: Padding2D(1)).data) < 2e-5)
    }

    /// The AVX-512 transform of a float16 kernel against the Swift one on the same values, with
    /// input channels that leave a partial block of 16.
    @Test(arguments: [WinogradTiling.f2, .f4])
    func halfPrecisionKernelTransformMatches(tiling: WinogradTiling) throws {
        try #require(VectorKernels.isAvailable, "this CPU has no AVX-512F: only the Swift kernel transform runs here")
        var random = OpsTestValues(seed: 17)
        let bits = random.values(3 * 21 * 9).map { Float16($0).bitPattern }
        let weight = Tensor(shape: [3, 21, 3, 3], data: bits.map { Float(Float16(bitPattern: $0)) })
        let expected = WinogradKernels(tiling: tiling, weight: weight)
        let got = bits.withUnsafeBytes { WinogradKernels(tiling: tiling, halfWeight: $0.baseAddress!, outChannels: 3, inChannels: 21) }
        #expect(got.values.count == expected.values.count)
        #expect(maxAbsDifference(got.values, expected.values) < 1e-6)
    }

    @Test func kernelReadFailurePropagates() {
        struct ReadFailure: Error {}
        #expect(throws: ReadFailure.self) {
            try WinogradKernels(tiling: .f4, outChannels: 4, inChannels: 2, sliceValues: 18) { rows throws(ReadFailure) in
                if rows.lowerBound >= 2 { throw ReadFailure() }
                return [Float](repeating: 1, count: rows.count * 18)
            }
        }
    }

    @Test func transformsReproduceAKnownTile() {
        // A kernel with a single 1 at the centre copies the input: the transforms must invert.
        var w = [Float](repeating: 0, count: 9)
        w[4] = 1
        let x = Tensor(shape: [1, 1, 4, 4], data: (1...16).map(Float.init))
        for algorithm in [ConvolutionAlgorithm.winograd2, .winograd4] {
            let y = x.conv2d(weight: Tensor(shape: [1, 1, 3, 3], data: w), bias: [0], padding: Padding2D(1), algorithm: algorithm)
            #expect(maxAbsDifference(y.data, x.data) < 1e-5)
        }
    }

    @Test func countsTheDirectConvolutionsWork() {
        var random = OpsTestValues(seed: 3)
        let x = random.tensor([2, 4, 8, 8])
        let w = random.tensor([6, 4, 3, 3])
        var counts: [Int] = []
        for algorithm in ConvolutionAlgorithm.allCases {
            let before = MatrixMultiplyCounter.total
            _ = x.conv2d(weight: w, bias: nil, padding: Padding2D(1), algorithm: algorithm)
            counts.append(MatrixMultiplyCounter.total - before)
        }
        // Other suites may run products concurrently, so only a lower bound is safe across runs.
        #expect(counts.allSatisfy { $0 >= 6 * 4 * 9 * 2 * 64 })
    }

    @Test func prefersWinogradOnlyForLarge3x3StrideOne() {
        func geometry(_ input: [Int], _ weight: [Int], stride: Int = 1) -> ConvolutionGeometry {
            ConvolutionGeometry(input: input, weight: weight, stride: stride, padding: Padding2D(1))
        }
        #expect(ConvolutionAlgorithm.preferred(for: geometry([2, 320, 32, 32], [320, 320, 3, 3])) == .winograd4)
        #expect(ConvolutionAlgorithm.preferred(for: geometry([2, 640, 16, 16], [640, 640, 3, 3])) == .winograd2)
        #expect(ConvolutionAlgorithm.preferred(for: geometry([2, 1280, 8, 8], [1280, 1280, 3, 3])) == .direct)
        #expect(ConvolutionAlgorithm.preferred(for: geometry([2, 320, 32, 32], [320, 320, 3, 3], stride: 2)) == .direct)
        #expect(ConvolutionAlgorithm.preferred(for: geometry([2, 320, 32, 32], [320, 320, 1, 1])) == .direct)
        #expect(ConvolutionAlgorithm.preferred(for: geometry([2, 4, 32, 32], [320, 4, 3, 3])) == .direct)
    }
}
