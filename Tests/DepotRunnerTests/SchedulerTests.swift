import DepotTestSupport
import Foundation
import Testing
@testable import DepotRunner

/// Whole denoising loops against diffusers (Tests/Fixtures/schedulers, from Scripts/gen-scheduler-fixtures.py).
@Suite struct SchedulerTests {
    struct Record: Decodable {
        let timestep: Double
        let model_output: [Float]
        let scaled_input: [Float]
        let prev_sample: [Float]
    }

    struct Case: Decodable {
        let label: String
        let scheduler: String
        let steps: Int
        let config: [String: SchedulerConfig.Value]
        let init_noise_sigma: Double
        let timesteps: [Double]
        let initial_sample: [Float]
        let records: [Record]
    }

    static let cases: [Case] = {
        let url = TestEnvironment.fixture("schedulers/scheduler-cases.json")
        guard let data = try? Data(contentsOf: url), let cases = try? JSONDecoder().decode([Case].self, from: data) else { return [] }
        return cases
    }()

    @Test func fixtureCoversEverySchedulerKind() {
        #expect(Set(Self.cases.map(\.scheduler)) == Set(SchedulerKind.allCases.map(\.rawValue)), "scheduler-cases.json missing or incomplete")
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases.map(\.label))
    func loopMatchesDiffusers(label: String) throws {
        let entry = try #require(Self.cases.first { $0.label == label })
        let kind = try #require(SchedulerKind(rawValue: entry.scheduler))
        var scheduler = try kind.makeScheduler(config: SchedulerConfig(values: entry.config), steps: entry.steps)
        // Fractional timesteps (Karras, exponential sigmas) come from float32 logarithms in numpy: allow 1e-3.
        #expect(scheduler.timesteps.count == entry.timesteps.count && zip(scheduler.timesteps, entry.timesteps).allSatisfy { abs($0 - $1) <= 1e-3 },
                "\(label): timesteps \(scheduler.timesteps) expected \(entry.timesteps)")
        #expect(abs(scheduler.initNoiseSigma - entry.init_noise_sigma) <= 1e-5 * max(1, entry.init_noise_sigma), "\(label): init_noise_sigma \(scheduler.initNoiseSigma)")
        try #require(scheduler.timesteps.count == entry.records.count)
        var sample = entry.initial_sample
        for (index, record) in entry.records.enumerated() {
            let scaled = scheduler.scaleModelInput(sample, stepIndex: index)
            #expect(Self.maxError(scaled, record.scaled_input) <= 1e-4, "\(label) step \(index): scaled input")
            sample = scheduler.step(modelOutput: record.model_output, stepIndex: index, sample: sample)
            let error = Self.maxError(sample, record.prev_sample)
            #expect(error <= 1e-4, "\(label) step \(index): sample differs by \(error)")
            if error > 1e-4 { break }
            sample = record.prev_sample
        }
    }

    @Test func unsupportedValuesNameTheKey() {
        let config = SchedulerConfig(values: ["algorithm_type": .string("sde-dpmsolver++")])
        #expect { try SchedulerKind.dpmpp.makeScheduler(config: config, steps: 4) } throws: { "\($0)".contains("algorithm_type") }
        let bad = SchedulerConfig(values: ["timestep_spacing": .string("sideways")])
        #expect { try SchedulerKind.ddim.makeScheduler(config: bad, steps: 4) } throws: { "\($0)".contains("timestep_spacing") }
        #expect { try SchedulerKind.euler.makeScheduler(config: SchedulerConfig(values: [:]), steps: 0) } throws: { "\($0)".contains("steps") }
    }

    @Test func pythonInfinityInAConfigFileIsAccepted() throws {
        let json = #"{"_class_name": "DPMSolverMultistepScheduler", "lambda_min_clipped": -Infinity, "steps_offset": 1}"#
        let config = try SchedulerConfig(json: Data(json.utf8), source: URL(fileURLWithPath: "/model/scheduler/scheduler_config.json"))
        #expect(config.className == "DPMSolverMultistepScheduler")
        #expect(try config.double("lambda_min_clipped", default: 0) == -.infinity)
    }

    static func maxError(_ actual: [Float], _ expected: [Float]) -> Float {
        guard actual.count == expected.count else { return .infinity }
        return zip(actual, expected).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    }
}
