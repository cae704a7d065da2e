import Foundation
import Testing
@testable import DepotRunner

@Suite struct OpsElementwiseTests {
    @Test func activationsAtKnownPoints() {
        // silu(1) = 1/(1+e^-1); gelu(1) = Φ(1); quick_gelu(1) = 1/(1+e^-1.702).
        #expect(abs(Activation.silu(1) - 0.7310585786) < 1e-6)
        #expect(abs(Activation.silu(-2) - (-0.2384058440)) < 1e-6)
        #expect(abs(Activation.gelu(1) - 0.8413447461) < 1e-6)
        #expect(abs(Activation.gelu(-0.5) - (-0.1542687694)) < 1e-6)
        #expect(abs(Activation.quickGELU(1) - 0.8457957659) < 1e-6)
        #expect(Activation(rawValue: "quick_gelu") == .quickGELU)
        let t = Tensor(shape: [2], data: [0, 1]).applying(.silu)
        #expect(t.data[0] == 0 && abs(t.data[1] - 0.7310585786) < 1e-6)
    }

    @Test func polynomialExpAndErfMatchLibm() {
        var worstExp: Double = 0, worstErf: Double = 0
        for step in -8700...8800 {
            let x = Float(step) / 100
            let reference = Foundation.exp(Double(x))
            worstExp = max(worstExp, abs(Double(FastMath.exp(x)) - reference) / reference)
        }
        for step in -600...600 {
            let x = Float(step) / 100
            worstErf = max(worstErf, abs(Double(FastMath.erf(x)) - Foundation.erf(Double(x))))
        }
        #expect(worstExp < 5e-7)
        #expect(worstErf < 3e-7)
        #expect(FastMath.exp(-200) < 1e-37 && FastMath.exp(0) == 1)
    }

    @Test func gegluMultipliesValueByGELUOfGate() {
        let x = Tensor(shape: [1, 4], data: [2, 3, 1, -0.5])
        let y = x.geglu()
        #expect(y.shape == [1, 2])
        #expect(abs(y.data[0] - 2 * 0.8413447461) < 1e-6)
        #expect(abs(y.data[1] - 3 * -0.1542687694) < 1e-6)
    }

    @Test func nearestUpsampleRepeatsPixels() {
        let x = Tensor(shape: [1, 1, 2, 2], data: [1, 2, 3, 4])
        #expect(x.upsampleNearest().data == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
        // To an explicit odd size (as when a skip connection is 3 wide): floor(dst * 2/3).
        #expect(x.upsampleNearest(height: 3, width: 3).data == [1, 1, 2, 1, 1, 2, 3, 3, 4])
    }

    @Test func concatenatesChannelsPerBatchItem() {
        let a = Tensor(shape: [2, 1, 1, 2], data: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2, 1, 2], data: [5, 6, 7, 8, 9, 10, 11, 12])
        let c = Tensor.concatChannels([a, b])
        #expect(c.shape == [2, 3, 1, 2])
        #expect(c.data == [1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12])
    }

    @Test func layoutRoundTripAndPerChannelAdd() {
        let x = Tensor(shape: [1, 2, 1, 3], data: [1, 2, 3, 4, 5, 6])
        let tokens = x.channelsLastTokens()
        #expect(tokens.shape == [1, 3, 2] && tokens.data == [1, 4, 2, 5, 3, 6])
        #expect(tokens.channelsFirstImage(height: 1, width: 3) == x)
        #expect(x.addingPerChannel(Tensor(shape: [1, 2], data: [10, 20])).data == [11, 12, 13, 24, 25, 26])
    }

    /// The AVX-512 SiLU and GEGLU against the scalar definitions, over a wide range and a ragged tail.
    @Test func vectorisedActivationsMatchScalarOnes() throws {
        try #require(VectorKernels.isAvailable, "this CPU has no AVX-512F: only the portable activations run here")
        var random = OpsTestValues(seed: 31)
        let x = random.tensor([3, 74]).scaled(by: 12)
        let silu = x.applyingUnprofiled(.silu, vectorised: true)
        var worstSiLU: Float = 0
        for (value, got) in zip(x.data, silu.data) {
            let expected = Float(Double(value) / (1 + Foundation.exp(-Double(value))))
            worstSiLU = max(worstSiLU, abs(got - expected) / max(1, abs(expected)))
        }
        #expect(worstSiLU < 1e-6)
        let geglu = x.gegluUnprofiled(vectorised: true), scalar = x.gegluUnprofiled(vectorised: false)
        #expect(geglu.shape == [3, 37])
        var worstGEGLU = 0.0
        for row in 0..<3 {
            for i in 0..<37 {
                let value = Double(x.data[row * 74 + i]), gate = Double(x.data[row * 74 + 37 + i])
                let expected = value * 0.5 * gate * (1 + Foundation.erf(gate / 2.0.squareRoot()))
                worstGEGLU = max(worstGEGLU, abs(Double(geglu.data[row * 37 + i]) - expected) / max(1, abs(expected)))
            }
        }
        #expect(worstGEGLU < 2e-6)
        #expect(maxAbsDifference(geglu.data, scalar.data) < 1e-4)
    }
}
