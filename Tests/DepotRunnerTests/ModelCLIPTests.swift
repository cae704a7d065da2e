import Foundation
import Testing
import DepotRunner

@Suite struct ModelCLIPTests {
    @Test(arguments: ["tiny-sd1", "tiny-sd2"])
    func lastHiddenStateMatchesTransformers(model: String) throws {
        let reference = try ModelFixtures.reference(model)
        let ids = try reference.integers("text.input_ids")
        let expected = try ModelFixtures.tensor(reference, "text.last_hidden_state")
        let encoder = try CLIPTextModel(directory: ModelFixtures.model(model).appendingPathComponent("text_encoder"))
        let batch = stride(from: 0, to: ids.count, by: 77).map { Array(ids[$0..<($0 + 77)]) }
        let got = try encoder.encode(batch: batch)
        #expect(got.shape == expected.shape)
        #expect(ModelFixtures.relativeError(got, expected) <= 1e-4)
        let single = try encoder.encode(inputIDs: batch[1])
        let row = Tensor(shape: [1, 77, 32], data: Array(got.data[(77 * 32)..<(2 * 77 * 32)]))
        #expect(ModelFixtures.relativeError(single, row) <= 1e-5)
    }

    @Test func rejectsTokenOutsideVocabulary() throws {
        let encoder = try CLIPTextModel(directory: ModelFixtures.model("tiny-sd1").appendingPathComponent("text_encoder"))
        #expect(throws: ModelLoadError.self) { try encoder.encode(inputIDs: [49406, 60000]) }
    }
}
