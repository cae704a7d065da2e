import Foundation
import Testing
import DepotRunner

@Suite struct ModelVAETests {
    @Test(arguments: ["tiny-sd1", "tiny-sd2"])
    func decodedMatchesDiffusers(model: String) throws {
        let reference = try ModelFixtures.reference(model)
        let vae = try AutoencoderKL(directory: ModelFixtures.model(model).appendingPathComponent("vae"))
        #expect(vae.downscaleFactor == 2 && vae.config.latentChannels == 4 && vae.config.scalingFactor == 0.18215)
        let latents = try ModelFixtures.tensor(reference, "vae.latents")
        let expected = try ModelFixtures.tensor(reference, "vae.decoded")
        let got = try vae.decode(latents.scaled(by: 1 / vae.config.scalingFactor))
        #expect(got.shape == expected.shape)
        #expect(ModelFixtures.relativeError(got, expected) <= 1e-4)
    }
}

/// No diffusers reference exists for the encoder; these check its shapes, the distribution
/// arithmetic, and that encoding then decoding keeps the image size.
@Suite struct ModelVAEEncoderTests {
    @Test func encodesToLatentDistributionOfTheRightShape() throws {
        let vae = try AutoencoderKL(directory: ModelFixtures.model("tiny-sd2").appendingPathComponent("vae"))
        var random = OpsTestValues(seed: 5)
        let image = random.tensor([1, 3, 16, 16])
        let distribution = try vae.encode(image)
        #expect(distribution.mean.shape == [1, 4, 8, 8] && distribution.logVariance.shape == [1, 4, 8, 8])
        #expect(distribution.mean.data.allSatisfy(\.isFinite) && distribution.mean.maxAbs > 0)
        #expect(distribution.logVariance.data.allSatisfy { $0 >= -30 && $0 <= 20 })
        let zero = distribution.sample(noise: .zeros([1, 4, 8, 8]))
        #expect(zero == distribution.mean)
        let ones = distribution.sample(noise: Tensor(shape: [1, 4, 8, 8], data: Array(repeating: 1, count: 256)))
        let deviation = distribution.standardDeviation
        #expect(maxAbsDifference(ones.data, zip(distribution.mean.data, deviation.data).map { $0 + $1 }) < 1e-6)
        #expect(try vae.decode(distribution.mean).shape == [1, 3, 16, 16])
        #expect(throws: ModelLoadError.self) { try vae.encode(random.tensor([1, 3, 15, 16])) }
    }
}
