import DepotTestSupport
import Foundation
import Testing
@testable import DepotRunner

/// OpenBLAS state is process-wide, so generations asked for at the same time (the daemon's smokes)
/// must neither spin against each other nor change each other's results.
@Suite struct PipelineConcurrencyTests {
    @Test(.timeLimit(.minutes(5)))
    func concurrentGenerationsFinishWithTheSerialResult() async throws {
        let pipeline = try PipelineCache.pipeline("tiny-sd1")
        var request = GenerationRequest(prompt: "a red cube on a table", seed: 7)
        request.steps = 2
        // 64x64 gives 1,024-token attention: products large enough for OpenBLAS to thread them.
        request.width = 64
        request.height = 64
        let asked = request
        let serial = try pipeline.generate(asked).image.data
        let images = try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<2 {
                group.addTask { try pipeline.generate(asked).image.data }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(images.count == 2)
        for image in images { #expect(image == serial) }
    }
}
