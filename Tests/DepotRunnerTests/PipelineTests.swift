import DepotFormats
import DepotTestSupport
import Foundation
import Testing
@testable import DepotRunner

/// Every gen.* case of reference-public.json through the pipeline, against diffusers' images.
@Suite struct PipelineTests {
    struct ReferenceCase: Decodable {
        let key: String
        let scheduler: String
        let prompt: String
        let negative_prompt: String
        let seed: UInt64
        let steps: Int
    }

    struct ReferenceModel: Decodable {
        let model: String
        let height: Int
        let width: Int
        let guidance_scale: Double
        let cases: [ReferenceCase]
    }

    static let references: [String: ReferenceModel] = {
        let url = TestEnvironment.fixture("reference/reference-public.json")
        guard let data = try? Data(contentsOf: url) else { return [:] }
        return (try? JSONDecoder().decode([String: ReferenceModel].self, from: data)) ?? [:]
    }()

    static let arguments: [(String, String)] = references.keys.sorted().flatMap { model in
        references[model]!.cases.map { (model, $0.key) }
    }

    @Test func referenceListCoversBothModelsAndAllSchedulers() {
        #expect(Set(Self.references.keys) == ["sd1", "sd2"])
        for model in Self.references.values {
            #expect(Set(model.cases.map(\.scheduler)) == Set(SchedulerKind.allCases.map(\.rawValue)))
        }
    }

    @Test(arguments: arguments)
    func generationMatchesDiffusers(model: String, key: String) throws {
        try Self.checkReferenceCase(model: model, key: key)
    }

    /// Release builds multiply small products straight from the float16 weights; debug builds (these
    /// tests) would not, so the float16 checkpoint's reference cases run once more with that path forced on.
    @Test(.enabled(if: HalfWeightProduct.isAvailable, "needs AVX-512 for the float16-weight kernel"),
          arguments: (references["sd1"]?.cases ?? []).map(\.key))
    func float16WeightPathMatchesDiffusers(key: String) throws {
        let before = HalfWeightProduct.productCount.load(ordering: .relaxed)
        try HalfWeightProduct.$preferredOverride.withValue(true) { try Self.checkReferenceCase(model: "sd1", key: key) }
        #expect(HalfWeightProduct.productCount.load(ordering: .relaxed) > before, "no product took the float16-weight path")
    }

    /// Generates a gen.* case and compares the image with diffusers' within the tolerances.
    static func checkReferenceCase(model: String, key: String) throws {
        let reference = try #require(references[model])
        let entry = try #require(reference.cases.first { $0.key == key })
        let pipeline = try PipelineCache.pipeline(reference.model)
        var request = GenerationRequest(prompt: entry.prompt, seed: entry.seed)
        request.negativePrompt = entry.negative_prompt
        request.steps = entry.steps
        request.guidanceScale = reference.guidance_scale
        request.scheduler = SchedulerKind(rawValue: entry.scheduler)
        request.width = reference.width
        request.height = reference.height
        let result = try pipeline.generate(request)

        let expectedFile = try SafetensorsFile(url: TestEnvironment.fixture("reference/reference-\(model)-public.safetensors"))
        #expect(result.image.shape == (try expectedFile.tensor(key)).shape)
        let expected = try expectedFile.floats(key)
        let errors = zip(result.image.data, expected).map { abs($0 - $1) }
        let maxError = errors.max() ?? .infinity
        let meanError = errors.reduce(0, +) / Float(max(errors.count, 1))
        #expect(maxError <= 2e-3 && meanError <= 2e-4, "\(model) \(key): max abs error \(maxError), mean \(meanError)")
    }

    struct ExtraCase: Decodable {
        let key: String
        let model: String
        let scheduler: String
        let prompt: String
        let negative_prompt: String
        let seed: UInt64
        let steps: Int
        let guidance_scale: Double
        let width: Int
        let height: Int
    }

    static let extraCases: [ExtraCase] = {
        let url = TestEnvironment.fixture("pipeline/extra-cases.json")
        guard let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode([ExtraCase].self, from: data)) ?? []
    }()

    /// Cases beyond the public ones (Scripts/gen-pipeline-fixtures.py): negative prompts, guidance
    /// off, non-square sizes, other step counts, long and unicode prompts, seeds above 2^32.
    @Test(arguments: extraCases.map(\.key))
    func extraCaseMatchesDiffusers(key: String) throws {
        let entry = try #require(Self.extraCases.first { $0.key == key })
        var request = GenerationRequest(prompt: entry.prompt, seed: entry.seed)
        request.negativePrompt = entry.negative_prompt
        request.steps = entry.steps
        request.guidanceScale = entry.guidance_scale
        request.scheduler = SchedulerKind(rawValue: entry.scheduler)
        request.width = entry.width
        request.height = entry.height
        let result = try PipelineCache.pipeline(entry.model).generate(request)
        let expectedFile = try SafetensorsFile(url: TestEnvironment.fixture("pipeline/extra-cases.safetensors"))
        #expect(result.image.shape == (try expectedFile.tensor(key)).shape)
        let errors = zip(result.image.data, try expectedFile.floats(key)).map { abs($0 - $1) }
        let maxError = errors.max() ?? .infinity
        let meanError = errors.reduce(0, +) / Float(max(errors.count, 1))
        #expect(maxError <= 2e-3 && meanError <= 2e-4, "\(entry.model) \(key) (\(entry.scheduler)): max abs error \(maxError), mean \(meanError)")
    }

    @Test func sd2ReferenceInputIDsPadWithExclamationMarks() throws {
        let pipeline = try PipelineCache.pipeline("tiny-sd2")
        let file = try SafetensorsFile(url: TestEnvironment.fixture("reference/reference-sd2-public.safetensors"))
        let expected = try file.integers("text.input_ids")
        let prompts = try #require(Self.references["sd2"]).cases.prefix(3).map(\.prompt)
        #expect(prompts.flatMap { pipeline.tokenizer.inputIDs($0) } == expected)
        #expect(expected.contains(0))
    }

    @Test func sizeMustBeAMultipleOfEight() throws {
        let pipeline = try PipelineCache.pipeline("tiny-sd1")
        var request = GenerationRequest(prompt: "x", seed: 1)
        request.width = 60
        #expect(throws: PipelineError.self) { try pipeline.generate(request) }
    }
}

/// Loaded pipelines shared by the tests (loading is the slow part in debug builds).
enum PipelineCache {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: [String: StableDiffusionPipeline] = [:]

    static func pipeline(_ name: String) throws -> StableDiffusionPipeline {
        try lock.withLock {
            if let pipeline = loaded[name] { return pipeline }
            let pipeline = try StableDiffusionPipeline(directory: TestEnvironment.fixture(name))
            loaded[name] = pipeline
            return pipeline
        }
    }
}
