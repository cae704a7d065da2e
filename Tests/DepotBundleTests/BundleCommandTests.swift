import DepotBundle
import DepotCore
import DepotStore
import DepotTestSupport
import Foundation
import Testing

/// The built `depot` binary: `depot bundle` and `depot bundle --check`, text and --json, exit status.
@Suite(.serialized) struct BundleCommandTests {
    private func environment(_ world: BundleWorld) -> [String: String] {
        ["DEPOT_HOME": world.home.path("depot-home").path, "HF_HOME": world.home.path("hf-home").path,
         "HF_ENDPOINT": world.hub.endpoint, "HOME": world.home.url.path, "NO_COLOR": "1", "TERM": "dumb"]
    }

    private func depot(_ world: BundleWorld, _ arguments: [String]) throws -> ProcessResult {
        try runProcess(try TestEnvironment.depotBinary(), arguments, environment: environment(world), timeout: 120)
    }

    /// A depot process left running, its stderr going to `stderr`.
    private func startDepot(_ world: BundleWorld, _ arguments: [String], stderr: URL) throws -> Process {
        let process = Process()
        process.executableURL = try TestEnvironment.depotBinary()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment(world)) { _, new in new }
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        return process
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

    @Test func twoBundlesOfOneZipAtOnceExtractItOnce() throws {
        let name = "coreml-stable-diffusion-2-1-base-palettized"
        let repo = try CoreMLRepo(["--variants", "split_einsum_v2", "--zip", name, "--no-folders", "--unet-mib", "8"])
        let world = try BundleWorld(["apple/\(name)": repo.url])
        for model in ["coreml-sd-2.1-base-palettized", "clip-tokenizer"] {
            let pulled = try depot(world, ["pull", model])
            #expect(pulled.status == 0, "\(pulled.stderr)")
        }
        let sha256 = try ContentHasher.digest(ofFileAt: repo.url.appendingPathComponent("\(name)_split_einsum_v2_compiled.zip").path).sha256
        let extracted = world.home.path("depot-home/extracted")

        // Hold the archive's lock, as an extracting depot would, so both bundles start while it is taken.
        let held = try #require(try FileLock.tryAcquire(at: extracted.appendingPathComponent("\(sha256).lock").path))
        let logs = try TemporaryDirectory("bundle-logs")
        let processes = try ["A", "B"].map { try startDepot(world, ["bundle", "coreml-sd-2.1-base-palettized", "-o", world.output($0).path],
                                                             stderr: logs.path($0)) }
        let deadline = Date().addingTimeInterval(60)
        func bothWaiting() throws -> Bool {
            try ["A", "B"].allSatisfy { try String(contentsOf: logs.path($0), encoding: .utf8).contains("waiting for another depot extracting \(name)_") }
        }
        while try !bothWaiting(), Date() < deadline, processes.allSatisfy(\.isRunning) { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try bothWaiting())
        held.release()
        for process in processes { process.waitUntilExit() }

        let stderr = try ["A", "B"].map { try String(contentsOf: logs.path($0), encoding: .utf8) }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 }, "\(stderr)")
        // One of them extracted; the other waited for it and reused the folder: one extraction on disk,
        // and both bundles hard-link the very same extracted files.
        let extractions = stderr.filter { log in log.split(separator: "\n").contains { $0.hasPrefix("extracting \(name)_split_einsum_v2_compiled.zip") } }
        #expect(extractions.count == 1, "\(stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: extracted.path).filter { !$0.hasSuffix(".lock") } == [sha256])
        let weight = "Unet.mlmodelc/weights/weight.bin"
        let inodes = try [world.output("A"), world.output("B")].map { try inode($0.appendingPathComponent(weight).path).inode }
        let source = try #require(FileManager.default.enumerator(atPath: extracted.appendingPathComponent(sha256).path)?
            .compactMap { $0 as? String }.first { $0.hasSuffix(weight) })
        #expect(inodes == Array(repeating: try inode(extracted.appendingPathComponent(sha256).appendingPathComponent(source).path).inode, count: 2))
        for output in ["A", "B"] { #expect(ResourceFolderChecker().check(world.output(output)).ok) }
    }

    @Test func gcRemovesTheExtractionOnlyWithItsZip() throws {
        let name = "coreml-stable-diffusion-2-1-base-palettized"
        let repo = try CoreMLRepo(["--variants", "split_einsum_v2", "--zip", name, "--no-folders"])
        let world = try BundleWorld(["apple/\(name)": repo.url])
        #expect(try depot(world, ["bundle", "coreml-sd-2.1-base-palettized", "-o", world.output().path]).status == 0)
        let extracted = world.home.path("depot-home/extracted")
        let folders = { try FileManager.default.contentsOfDirectory(atPath: extracted.path).filter { !$0.hasSuffix(".lock") } }
        #expect(try folders().count == 1)

        let kept = try depot(world, ["gc", "--json"])
        let keptReport = try #require(try JSONSerialization.jsonObject(with: kept.stdoutData) as? [String: Any])
        #expect(keptReport["extractions_removed"] as? Int == 0, "\(kept.stdout)\(kept.stderr)")
        #expect(try folders().count == 1)

        let removed = try depot(world, ["rm", "coreml-sd-2.1-base-palettized/split-einsum-v2"])
        #expect(removed.status == 0, "\(removed.stdout)\(removed.stderr)")
        let collected = try depot(world, ["gc", "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: collected.stdoutData) as? [String: Any])
        #expect(report["extractions_removed"] as? Int == 1, "\(collected.stdout)\(collected.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: extracted.path).isEmpty)
    }

    @Test func diffusersModelIsRefused() throws {
        let world = try BundleWorld([:])
        let result = try depot(world, ["bundle", "sd-1.5", "-o", world.output().path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("sd-1.5 is a diffusers model, not a Core ML one"))
        #expect(!FileManager.default.fileExists(atPath: world.output().path))
    }
}
