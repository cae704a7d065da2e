import Foundation
import Testing
import DepotTestSupport

/// `depot inspect` and `depot verify --deep`, run as the built binary.
@Suite("inspect and verify --deep")
struct InspectCommandTests {
    @Test("inspect --json of a diffusers folder: kind, one row per tensor, blobs, totals")
    func inspectDiffusersFolder() throws {
        let sandbox = try DepotSandbox(hub: nil)
        let report = try #require(try sandbox.json("inspect", TestEnvironment.fixture("tiny-sd1").path) as? [String: Any])
        #expect(report.string("kind") == "diffusers")
        #expect(report.string("architecture") == "StableDiffusionPipeline")
        #expect(report.string("precision") == "float16")
        #expect(report.string("compression") == "none")
        // diffusers' default size: unet sample_size 16 x the VAE's 2x downscaling.
        #expect(report.string("resolution") == "32x32")
        #expect(report["ok"] as? Bool == true)
        let weights = try #require(report["weights"] as? [[String: Any]])
        let conv = try #require(weights.first { $0.string("name") == "unet/conv_in.weight" })
        #expect(conv.string("dtype") == "F16" && conv["shape"] as? [Int] == [32, 4, 3, 3] && conv.int("bytes") == 32 * 4 * 9 * 2)
        #expect(conv["compression"] is NSNull)
        // 1,152 elements: under the default statistics limit.
        #expect((conv.int("unique_values") ?? 0) > 100 && conv["sparsity"] is NSNumber)
        let blobs = try #require(report["blobs"] as? [[String: Any]])
        #expect(blobs.map { $0.string("file") } == ["text_encoder/model.safetensors", "unet/diffusion_pytorch_model.safetensors", "vae/diffusion_pytorch_model.safetensors"])
        let totals = try #require(report["totals"] as? [String: Any])
        #expect(totals.int("weights") == weights.count)
        #expect(totals.int("bytes") == weights.reduce(0) { $0 + ($1.int("bytes") ?? 0) })
        let files = ["unet/diffusion_pytorch_model.safetensors", "vae/diffusion_pytorch_model.safetensors", "text_encoder/model.safetensors"]
        let sizes = try files.map { try FileManager.default.attributesOfItem(atPath: TestEnvironment.fixture("tiny-sd1/\($0)").path)[.size] as? Int ?? 0 }
        // Tensor bytes are the files minus their headers.
        #expect(blobs.reduce(0) { $0 + ($1.int("bytes") ?? 0) + ($1.int("offset") ?? 0) } == sizes.reduce(0, +))
    }

    @Test("inspect of a single safetensors file, human table")
    func inspectFileAsText() throws {
        let sandbox = try DepotSandbox(hub: nil)
        let result = try sandbox.depot("inspect", TestEnvironment.fixture("tiny-sd2/vae/diffusion_pytorch_model.safetensors").path)
        #expect(result.stdout.contains("(safetensors)"))
        let row = result.stdout.split(separator: "\n").first { $0.hasPrefix("decoder.conv_out.weight ") }
        #expect(row?.split(separator: " ").prefix(4) == ["decoder.conv_out.weight", "F32", "3x32x3x3", "3.4"])
        #expect(result.stdout.contains("structure: ok"))
    }

    @Test("inspect of a damaged copy exits 1 and names the tensor, both shapes and the file")
    func inspectDamagedCopy() throws {
        let sandbox = try DepotSandbox(hub: nil)
        let copy = try TemporaryDirectory("depot-inspect-cli")
        let root = copy.path("tiny-sd1")
        try FileManager.default.copyItem(at: TestEnvironment.fixture("tiny-sd1"), to: root)
        try Self.setCrossAttentionDim(48, in: root)
        let result = try sandbox.run(["inspect", root.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("ERROR unet/config.json [cross_attention_dim]: the UNet's cross-attention width does not match the text encoder output; expected 32 (text_encoder hidden_size 32), found 48"))
    }

    @Test("inspect of a path that is no model fails with a clear message")
    func inspectUnknownPath() throws {
        let sandbox = try DepotSandbox(hub: nil)
        let result = try sandbox.run(["inspect", TestEnvironment.fixture("tokenizer").path, "--json"])
        #expect(result.status == 1)
        let error = try #require((try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])?["error"] as? [String: Any])
        #expect((error["message"] as? String)?.contains("is not a model depot can inspect") == true)
    }

    @Test("inspect --json of Core ML packages and verify --structure of the repo folder")
    func inspectCoreML() throws {
        let sandbox = try DepotSandbox(hub: nil)
        let packages = TestEnvironment.fixture("coreml-tiny-sd1/split_einsum/packages")
        let report = try #require(try sandbox.json("inspect", packages.path) as? [String: Any])
        #expect(report.string("kind") == "coreml-resources" && report.string("architecture") == "sd")
        #expect(report.string("attention") == "split_einsum" && report["ok"] as? Bool == true)
        let weights = try #require(report["weights"] as? [[String: Any]])
        let blobs = try #require(report["blobs"] as? [[String: Any]])
        #expect(weights.count == 613 && blobs.count == 613)
        #expect(blobs.allSatisfy { $0.string("dtype") == "fp16" && $0.int("tensors") == 1 })
        let structure = try #require(try sandbox.json("verify", "--structure", TestEnvironment.fixture("coreml-tiny-sd1").path) as? [String: Any])
        #expect(structure.string("kind") == "coreml" && (structure["files_checked"] as? [String])?.count == 4)
    }

    static func setCrossAttentionDim(_ value: Int, in root: URL) throws {
        let url = root.appendingPathComponent("unet/config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        config["cross_attention_dim"] = value
        try JSONSerialization.data(withJSONObject: config).write(to: url)
    }
}

/// `depot verify --deep` on versions installed from olah: one intact, one with a config that
/// does not match its weights (hashes fine, structure wrong).
@Suite("verify --deep against olah", .serialized)
struct VerifyDeepCommandTests {
    @Test("verify --deep passes an intact model and fails a mismatched one, naming file, key and values")
    func deepVerify() throws {
        let copy = try TemporaryDirectory("depot-verify-deep")
        let broken = copy.path("mismatched")
        try FileManager.default.copyItem(at: TestEnvironment.fixture("tiny-sd1"), to: broken)
        try InspectCommandTests.setCrossAttentionDim(48, in: broken)
        let hub = try FixtureHub(repos: ["depot-fixtures/tiny-sd1": TestEnvironment.fixture("tiny-sd1"), "depot-fixtures/mismatched": broken])
        let sandbox = try DepotSandbox(hub: hub)
        try sandbox.depot("pull", "tiny-sd1")
        // The pull's own structural check refuses the model; --skip-structure-check installs it anyway.
        let refused = try sandbox.run(["pull", "depot-fixtures/mismatched"])
        #expect(refused.status == 1 && refused.stderr.contains("cross_attention_dim"))
        try sandbox.depot("pull", "depot-fixtures/mismatched", "--skip-structure-check")

        let good = try #require(try sandbox.json("verify", "--deep", "tiny-sd1") as? [String: Any])
        #expect(good["ok"] as? Bool == true)
        let version = try #require((good["versions"] as? [[String: Any]])?.first)
        let structure = try #require(version["structure"] as? [String: Any])
        #expect(structure.string("kind") == "diffusers")
        #expect((structure["files_checked"] as? [String])?.count == 3)
        #expect((structure["findings"] as? [Any])?.isEmpty == true)

        let result = try sandbox.run(["verify", "--deep", "depot-fixtures/mismatched"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("BAD ") && result.stdout.contains("depot-fixtures/mismatched@"))
        #expect(result.stdout.contains("ERROR unet/config.json [cross_attention_dim]: the UNet's cross-attention width does not match the text encoder output; expected 32 (text_encoder hidden_size 32), found 48"))
        #expect(result.stdout.contains("[mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight]: the tensor's shape does not match config.json; expected shape [64, 48], found shape [64, 32]"))

        // Without --deep only hashes are checked, and they are fine.
        try sandbox.depot("verify", "depot-fixtures/mismatched")
        hub.stop()
    }
}
