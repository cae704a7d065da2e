import DepotFormats
import DepotTestSupport
import Foundation
import Testing

/// The built `depot` binary, run as a user would: generate one reference case and smoke a fixture.
@Suite struct PipelineCommandTests {
    @Test func generateWritesTheReferenceImage() throws {
        let directory = try TemporaryDirectory("depot-generate")
        let png = directory.path("cat.png"), tensor = directory.path("cat.safetensors")
        let result = try runChecked(try TestEnvironment.depotBinary(), [
            "generate", "--model", TestEnvironment.fixture("tiny-sd2").path,
            "--prompt", "a cat sitting on a mat, oil painting", "--seed", "2000", "--steps", "4",
            "--scheduler", "euler", "--guidance", "7.5", "--width", "64", "--height", "64",
            "--output", png.path, "--output-tensor", tensor.path, "--json",
        ], timeout: 600)

        let report = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let timings = try #require(report["timings"] as? [String: Double])
        #expect(Set(timings.keys) == ["load_s", "text_s", "denoise_s", "decode_s", "total_s"])
        #expect((report["peak_rss_mb"] as? Double ?? 0) > 0)
        #expect(report["output"] as? String == png.path)

        let pngBytes = try Data(contentsOf: png)
        #expect(pngBytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let image = try SafetensorsFile(url: tensor)
        #expect(try image.tensor("image").shape == [64, 64, 3])
        let actual = try image.floats("image")
        let expected = try SafetensorsFile(url: TestEnvironment.fixture("reference/reference-sd2-public.safetensors")).floats("gen.euler.0")
        let errors = zip(actual, expected).map { abs($0 - $1) }
        #expect((errors.max() ?? 1) <= 2e-3)
        #expect(errors.reduce(0, +) / Float(errors.count) <= 2e-4)
    }

    @Test func smokeOfATinyFixturePasses() throws {
        let directory = try TemporaryDirectory("depot-smoke")
        let png = directory.path("smoke.png")
        let result = try runChecked(try TestEnvironment.depotBinary(), [
            "smoke", TestEnvironment.fixture("tiny-sd1").path, "--output", png.path, "--json",
        ], timeout: 600)
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(report["status"] as? String == "pass")
        #expect(FileManager.default.fileExists(atPath: png.path))
    }

    @Test func smokeOfAModelThatIsNotInstalledFails() throws {
        let home = try TemporaryDirectory("depot-smoke-home")
        let environment = ["DEPOT_HOME": home.path("depot").path, "HF_HOME": home.path("hf").path, "HF_HUB_CACHE": home.path("hf/hub").path]
        let name = "no-such-model-\(UUID().uuidString.prefix(8))"
        let result = try runProcess(try TestEnvironment.depotBinary(), ["smoke", name, "--json"], environment: environment, timeout: 60)
        #expect(result.status != 0)
        #expect(result.stderr.contains(name))
        let report = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any]
        #expect(report?["error"] != nil)
    }
}
