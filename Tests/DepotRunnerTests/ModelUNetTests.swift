import Foundation
import Testing
import DepotRunner

@Suite struct ModelUNetTests {
    @Test(arguments: ["tiny-sd1", "tiny-sd2"])
    func predictionMatchesDiffusers(model: String) throws {
        let reference = try ModelFixtures.reference(model)
        let unet = try UNet2DConditionModel(directory: ModelFixtures.model(model).appendingPathComponent("unet"))
        let timesteps = try reference.floats("unet.timestep")
        #expect(Set(timesteps).count == 1, "the reference uses one timestep for the batch")
        let got = try unet.predict(sample: ModelFixtures.tensor(reference, "unet.sample"), timestep: timesteps[0],
                                   encoderHiddenStates: ModelFixtures.tensor(reference, "unet.encoder_hidden_states"))
        let expected = try ModelFixtures.tensor(reference, "unet.out")
        #expect(got.shape == expected.shape)
        #expect(ModelFixtures.relativeError(got, expected) <= 1e-4)
    }

    @Test func rejectsMismatchedInputs() throws {
        let unet = try UNet2DConditionModel(directory: ModelFixtures.model("tiny-sd1").appendingPathComponent("unet"))
        let sample = Tensor.zeros([2, 4, 8, 8])
        #expect(throws: ModelLoadError.self) { try unet.predict(sample: sample, timestep: 1, encoderHiddenStates: .zeros([2, 77, 48])) }
        #expect(throws: ModelLoadError.self) { try unet.predict(sample: sample, timestep: 1, encoderHiddenStates: .zeros([1, 77, 32])) }
        #expect(throws: ModelLoadError.self) { try unet.predict(sample: .zeros([2, 3, 8, 8]), timestep: 1, encoderHiddenStates: .zeros([2, 77, 32])) }
        // A size that does not halve evenly (7x9) still comes back at the input size.
        let odd = try unet.predict(sample: .zeros([1, 4, 7, 9]), timestep: 10, encoderHiddenStates: .zeros([1, 77, 32]))
        #expect(odd.shape == [1, 4, 7, 9])
    }

    @Test func readsPerBlockHeadsAndDefaults() throws {
        let sd2 = try UNet2DConditionModel(directory: ModelFixtures.model("tiny-sd2").appendingPathComponent("unet"))
        #expect(sd2.config.attentionHeads == [2, 4])
        #expect(sd2.config.useLinearProjection && sd2.config.upcastAttention)
        #expect(sd2.config.sampleSize == 16 && sd2.config.inChannels == 4)
        #expect(sd2.config.timeEmbeddingDim == 128)
    }
}
