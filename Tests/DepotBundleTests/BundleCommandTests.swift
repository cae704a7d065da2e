import DepotBundle
import DepotTestSupport
import Foundation
import Testing

/// The built `depot` binary: `depot bundle` and `depot bundle --check`, text and --json, exit status.
@Suite(.serialized) struct BundleCommandTests {
    private func depot(_ world: BundleWorld, _ arguments: [String]) throws -> ProcessResult {
        try runProcess(try TestEnvironment.depotBinary(), arguments, environment: [
            "DEPOT_HOME": world.home.path("depot-home").path, "HF_HOME": world.home.path("hf-home").path,
            "HF_ENDPOINT": world.hub.endpoint, "HOME": world.home.url.path, "NO_COLOR": "1", "TERM": "dumb",
        ], timeout: 120)
    }

    @Test func bundleThenCheckThroughTheCLI() throws {
        let repo = try CoreMLRepo(["--kind", "sdxl", "--variants", "original", "--zip", "coreml-stable-diffusion-xl-base", "--chunked"])
        let world = try BundleWorld(["apple/coreml-stable-diffusion-xl-base": repo.url])
        let output = world.output("XL")

        let bundled = try depot(world, ["bundle", "coreml-sdxl-base", "-o", output.path, "--json"])
        #expect(bundled.status == 0, "\(bundled.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: bundled.stdoutData) as? [String: Any])
        #expect(report["kind"] as? String == "sdxl")
        #expect(report["command"] as? String == "swift run StableDiffusionSample \"a photo of a cat\" --resource-path \(output.path) --xl --compute-units cpuAndGPU")
        #expect(try fileTree(output).filter { $0.hasSuffix("/metadata.json") } == [
            "TextEncoder.mlmodelc/metadata.json", "TextEncoder2.mlmodelc/metadata.json", "UnetChunk1.mlmodelc/metadata.json",
            "UnetChunk2.mlmodelc/metadata.json", "VAEDecoder.mlmodelc/metadata.json", "VAEEncoder.mlmodelc/metadata.json",
        ])

        // Without --force an existing folder is an error that says how to proceed.
        let again = try depot(world, ["bundle", "coreml-sdxl-base", "-o", output.path])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists: pass --force to replace it"))

        let check = try depot(world, ["bundle", "--check", output.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("OK, sdxl pipeline (original), 6 models"))
        #expect(check.stdout.contains("--xl --compute-units cpuAndGPU"))

        try FileManager.default.removeItem(at: output.appendingPathComponent("merges.txt"))
        try FileManager.default.removeItem(at: output.appendingPathComponent("UnetChunk1.mlmodelc"))
        let broken = try depot(world, ["bundle", "--check", output.path, "--json"])
        #expect(broken.status == 1)
        let problems = try #require(try JSONSerialization.jsonObject(with: broken.stdoutData) as? [String: Any])
        #expect(problems["ok"] as? Bool == false)
        let messages = (problems["problems"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.hasPrefix("merges.txt missing: the Swift CLI crashes without it") })
        #expect(messages.contains { $0.hasPrefix("UnetChunk1.mlmodelc missing: UnetChunk2.mlmodelc needs it") })
    }

    @Test func sd3WithT5ThroughTheCLI() throws {
        let repo = try CoreMLRepo(["--kind", "sd3", "--variants", "original", "--zip", "coreml-stable-diffusion-3-medium", "--no-folders", "--t5", "root"])
        let tokenizer = try CoreMLRepo(["--kind", "t5-tokenizer"])
        let world = try BundleWorld([SD3BundleTests.sd3: repo.url, SD3BundleTests.t5Small: tokenizer.url])
        let output = world.output("SD3")
        let bundled = try depot(world, ["bundle", "coreml-sd3-medium", "--t5", "-o", output.path])
        #expect(bundled.status == 0, "\(bundled.stderr)")
        #expect(bundled.stdout.contains("\(output.path): sd3 pipeline (original)"))
        #expect(bundled.stdout.contains("run: swift run StableDiffusionSample \"a photo of a cat\" --resource-path \(output.path) --sd3 --compute-units cpuAndGPU"))
        let check = try depot(world, ["bundle", "--check", output.path])
        #expect(check.status == 0 && check.stdout.contains("OK, sd3 pipeline (original), 5 models"), "\(check.stdout)")
    }

    @Test func diffusersModelIsRefused() throws {
        let world = try BundleWorld([:])
        let result = try depot(world, ["bundle", "sd-1.5", "-o", world.output().path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("sd-1.5 is a diffusers model, not a Core ML one"))
        #expect(!FileManager.default.fileExists(atPath: world.output().path))
    }
}
