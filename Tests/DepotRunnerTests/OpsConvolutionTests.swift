import Testing
@testable import DepotRunner

@Suite struct OpsConvolutionTests {
    @Test(arguments: [
        (1, 3, Padding2D(1)), (2, 3, Padding2D(1)), (2, 1, Padding2D(0)),
        (1, 1, Padding2D(0)), (2, 2, Padding2D(top: 0, bottom: 1, left: 0, right: 1)),
    ])
    func conv2dMatchesDirectDefinition(stride: Int, kernel: Int, padding: Padding2D) {
        var random = OpsTestValues(seed: UInt64(stride * 10 + kernel))
        let x = random.tensor([2, 3, 7, 6])
        let w = random.tensor([5, 3, kernel, kernel])
        let bias = random.values(5)
        let got = x.conv2d(weight: w, bias: bias, stride: stride, padding: padding)
        let expected = naiveConv(x, w, bias, stride: stride, padding: padding)
        #expect(got.shape == expected.shape)
        #expect(maxAbsDifference(got.data, expected.data) < 1e-5)
    }

    @Test func conv2dInRowBlocksMatchesDirectDefinition() {
        // A patch buffer of 500 floats holds 2 output rows of 27 x 9 patches: blocks of 2 rows,
        // the last one short; 1x1 convolutions read the input directly in the same blocks.
        var random = OpsTestValues(seed: 99)
        let x = random.tensor([2, 3, 7, 9])
        let w = random.tensor([2, 3, 3, 3])
        let got = x.conv2d(weight: w, bias: [0.1, 0.2], stride: 1, padding: Padding2D(1), patchBufferLimit: 500)
        let pointwise = random.tensor([4, 3, 1, 1])
        let direct = x.conv2d(weight: pointwise, bias: nil, stride: 1, padding: Padding2D(0), patchBufferLimit: 30)
        #expect(maxAbsDifference(direct.data, naiveConv(x, pointwise, nil, stride: 1, padding: Padding2D(0)).data) < 1e-5)
        let expected = naiveConv(x, w, [0.1, 0.2], stride: 1, padding: Padding2D(1))
        #expect(maxAbsDifference(got.data, expected.data) < 1e-5)
    }

    @Test func conv2dHandComputed() {
        // 1x1x3x3 input 1...9, 2x2 kernel of ones, no padding: sums of each 2x2 window.
        let x = Tensor(shape: [1, 1, 3, 3], data: (1...9).map(Float.init))
        let w = Tensor(shape: [1, 1, 2, 2], data: [1, 1, 1, 1])
        let y = x.conv2d(weight: w, bias: [0.5])
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.data == [12.5, 16.5, 24.5, 28.5])
    }

    @Test func linearHandComputed() {
        let x = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
        let w = Tensor(shape: [2, 3], data: [1, 0, -1, 0.5, 0.5, 0.5])
        #expect(x.linear(weight: w, bias: [10, 20]).data == [8, 23, 8, 27.5])
        #expect(x.linear(weight: w, bias: nil).shape == [2, 2])
        #expect(x.linear(weight: w, bias: nil).data == [-2, 3, -2, 7.5])
    }
}
