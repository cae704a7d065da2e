import Foundation
import Testing
@testable import DepotRunner

@Suite struct OpsNormalizationTests {
    @Test func groupNormMatchesPerGroupStatistics() {
        var random = OpsTestValues(seed: 7)
        let x = random.tensor([2, 4, 3, 3])
        let weight = random.values(4), bias = random.values(4)
        let y = x.groupNorm(groups: 2, weight: weight, bias: bias, eps: 1e-5)
        for b in 0..<2 { for g in 0..<2 {
            let start = (b * 4 + g * 2) * 9
            let group = Array(x.data[start..<(start + 18)]).map(Double.init)
            let mean = group.reduce(0, +) / 18
            let variance = group.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 18
            for i in 0..<18 {
                let c = g * 2 + i / 9
                let expected = (group[i] - mean) / (variance + 1e-5).squareRoot() * Double(weight[c]) + Double(bias[c])
                #expect(abs(Double(y.data[start + i]) - expected) < 1e-5)
            }
        }}
    }

    @Test func layerNormHandComputed() {
        // Row [1, 2, 3]: mean 2, variance 2/3.
        let x = Tensor(shape: [1, 3], data: [1, 2, 3])
        let y = x.layerNorm(weight: [1, 2, 1], bias: [0, 0, 1], eps: 0)
        let s = Float((3.0 / 2.0).squareRoot())
        #expect(maxAbsDifference(y.data, [-s, 0, s + 1]) < 1e-6)
    }

    /// Group norm (plain and with SiLU fused) through the AVX-512 kernels and through Swift agree,
    /// with groups whose size is not a multiple of 16 and values far from zero mean.
    @Test(arguments: [false, true])
    func vectorisedGroupNormMatchesPortable(silu: Bool) throws {
        try #require(VectorKernels.isAvailable, "this CPU has no AVX-512F: only the portable group norm runs here")
        var random = OpsTestValues(seed: silu ? 41 : 42)
        let x = Tensor(shape: [2, 6, 5, 7], data: random.values(420).map { 1000 + 3 * $0 })
        let weight = random.values(6), bias = random.values(6)
        let vectorised = x.groupNorm(groups: 3, weight: weight, bias: bias, eps: 1e-6, silu: silu, vectorised: true)
        let portable = x.groupNorm(groups: 3, weight: weight, bias: bias, eps: 1e-6, silu: silu, vectorised: false)
        #expect(maxAbsDifference(vectorised.data, portable.data) < 2e-5)
        let unfused = x.groupNorm(groups: 3, weight: weight, bias: bias, eps: 1e-6, silu: false, vectorised: false)
        #expect(maxAbsDifference(portable.data, silu ? unfused.applying(.silu).data : unfused.data) < 1e-6)
    }
}
