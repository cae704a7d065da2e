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
