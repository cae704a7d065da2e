import Foundation
import Testing
import DepotTestSupport

/// The structural check every pull runs before recording a version.
@Suite("pull checks the model's structure", .serialized)
struct PullStructureTests {
    let hub: FixtureHub

    init() throws {
        hub = try FixtureHub()
    }

    @Test("a consistent model reports the check in its pull report")
    func consistentModel() throws {
        let sandbox = try DepotSandbox(hub: hub)
        let report = try #require(try sandbox.json("pull", "tiny-sd1") as? [String: Any])
        let structure = try #require(report["structure"] as? [String: Any])
        #expect(structure.string("kind") == "diffusers")
        let checked = try #require(structure["files_checked"] as? [String])
        #expect(checked.contains("unet/diffusion_pytorch_model.safetensors"))
        #expect(checked.contains("text_encoder/model.safetensors"))
        let findings = try #require(structure["findings"] as? [[String: Any]])
        #expect(findings.allSatisfy { $0.string("severity") == "warning" })

        let human = try sandbox.depot("pull", "tiny-sd2")
        #expect(human.stdout.contains("structure: diffusers"))
    }

    @Test("an inconsistent model is not installed, and --skip-structure-check installs it anyway")
    func inconsistentModelRefused() throws {
        let sandbox = try DepotSandbox(hub: hub)
        let copy = try TemporaryDirectory("depot-broken-fixture")
        let folder = copy.path("tiny-sd1")
        try FileManager.default.copyItem(at: TestEnvironment.fixture("tiny-sd1"), to: folder)
        let config = folder.appendingPathComponent("unet/config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
        try text.replacingOccurrences(of: "\"cross_attention_dim\": 32", with: "\"cross_attention_dim\": 48")
            .write(to: config, atomically: true, encoding: .utf8)
        _ = try hub.sync(["depot-fixtures/broken-unet": folder])

        let refused = try sandbox.run(["pull", "depot-fixtures/broken-unet"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("not whole or not consistent"))
        #expect(refused.stderr.contains("cross_attention_dim"))
        #expect(refused.stderr.contains("--skip-structure-check"))
        let nothing = try #require(try sandbox.json("list") as? [[String: Any]])
        #expect(nothing.isEmpty)

        // The verified blobs stayed in the cache: installing anyway transfers nothing again.
        let forced = try #require(try sandbox.json("pull", "depot-fixtures/broken-unet", "--skip-structure-check") as? [String: Any])
        #expect(forced.int("bytes_transferred") == 0)
        #expect(forced["structure"] == nil)
        let installed = try #require(try sandbox.json("list") as? [[String: Any]])
        #expect(installed.compactMap { $0.string("repo") } == ["depot-fixtures/broken-unet"])
    }

    @Test("components a file filter leaves out are not reported missing")
    func filteredComponentsAreExpected() throws {
        let sandbox = try DepotSandbox(hub: hub)
        let report = try #require(try sandbox.json("pull", "tiny-sd1", "--exclude", "vae/*") as? [String: Any])
        let structure = try #require(report["structure"] as? [String: Any])
        let checked = try #require(structure["files_checked"] as? [String])
        #expect(!checked.contains { $0.hasPrefix("vae/") })
        #expect(checked.contains("unet/diffusion_pytorch_model.safetensors"))
    }
}
