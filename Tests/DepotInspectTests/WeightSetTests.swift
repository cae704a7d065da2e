import DepotFormats
import DepotTestSupport
import Foundation
import Testing
@testable import DepotInspect

/// Variants (fp16, non_ema) and sharded checkpoints in component folders.
@Suite struct WeightSetTests {
    static let unet = "unet/diffusion_pytorch_model.safetensors"

    /// Splits the UNet into two shards named as diffusers names them, with the index, and removes the single file.
    /// `assign` may move a tensor's index entry; `extra` adds a tensor name to both shards.
    static func shard(_ copy: ModelCopy, indexEntry: ((String, String) -> String)? = nil, duplicate: String? = nil,
                      unlisted: String? = nil) throws {
        let source = try SafetensorsFile(url: copy.url(unet))
        let names = source.tensors.map(\.name)
        let halves = [Array(names.prefix(names.count / 2)), Array(names.dropFirst(names.count / 2))]
        let shardNames = ["diffusion_pytorch_model-00001-of-00002.safetensors", "diffusion_pytorch_model-00002-of-00002.safetensors"]
        var map: [String: String] = [:]
        for (half, shardName) in zip(halves, shardNames) {
            let stored = half + (duplicate.map { half.contains($0) ? [] : [$0] } ?? [])
            let entries = try stored.map { name in let info = try source.tensor(name); return SafetensorsWriter.Entry(name: name, dtype: info.dtype, shape: info.shape) }
            try SafetensorsWriter.write(to: copy.url("unet/\(shardName)"), metadata: ["format": "pt"], entries: entries) { index, buffer in
                try source.withRawBytes(of: stored[index]) { buffer.copyMemory(from: $0) }
            }
            for name in half where name != unlisted { map[name] = indexEntry?(name, shardName) ?? shardName }
        }
        let total = source.tensors.reduce(0) { $0 + $1.dataOffsets.count }
        let index: [String: Any] = ["metadata": ["total_size": total], "weight_map": map]
        try JSONSerialization.data(withJSONObject: index, options: [.sortedKeys]).write(to: copy.url("unet/diffusion_pytorch_model.safetensors.index.json"))
        try copy.remove(unet)
    }

    private func unetFindings(_ copy: ModelCopy) -> [Finding] {
        ComponentCheck(name: "unet", className: "UNet2DConditionModel", root: copy.root).findings
    }

    @Test func fp16AndNonEMAVariantsAreRecognisedAndChecked() throws {
        let copy = try ModelCopy("tiny-sd1")
        try FileManager.default.copyItem(at: copy.url(Self.unet), to: copy.url("unet/diffusion_pytorch_model.fp16.safetensors"))
        try copy.rewrite(Self.unet, to: "unet/diffusion_pytorch_model.non_ema.safetensors") { $0.removeAll { $0.name == "conv_out.bias" } }
        let check = ComponentCheck(name: "unet", className: "UNet2DConditionModel", root: copy.root)
        #expect(check.weightSets.map(\.set.variant) == [nil, "fp16", "non_ema"])
        #expect(check.primary?.set.variant == nil)
        #expect(check.findings.map(\.file) == ["unet/diffusion_pytorch_model.non_ema.safetensors"])
        #expect(check.findings.first?.subject == "conv_out.bias")
    }

    @Test func aFolderWithOnlyAVariantUsesIt() throws {
        let copy = try ModelCopy("tiny-sd1")
        try copy.move("text_encoder/model.safetensors", to: "text_encoder/model.fp16.safetensors")
        let check = DiffusersFolderCheck(root: copy.root)
        #expect(check.findings.isEmpty)
        #expect(check.component("text_encoder")?.primary?.set == WeightSet(variant: "fp16", index: nil, files: ["model.fp16.safetensors"]))
    }

    @Test func consistentShardsPass() throws {
        let copy = try ModelCopy("tiny-sd1")
        try Self.shard(copy)
        let check = ComponentCheck(name: "unet", className: "UNet2DConditionModel", root: copy.root)
        #expect(check.findings.isEmpty, "\(check.findings)")
        #expect(check.primary?.set.index == "diffusion_pytorch_model.safetensors.index.json" && check.primary?.files.count == 2)
        #expect(DiffusersFolderCheck(root: copy.root).findings.isEmpty)
    }

    @Test func missingShardIsReported() throws {
        let copy = try ModelCopy("tiny-sd1")
        try Self.shard(copy)
        try copy.remove("unet/diffusion_pytorch_model-00002-of-00002.safetensors")
        let findings = unetFindings(copy)
        #expect(findings.first == Finding(file: "unet/diffusion_pytorch_model-00002-of-00002.safetensors", subject: "unet/diffusion_pytorch_model.safetensors.index.json",
                                          expected: "the shard named by the index", found: "no such file",
                                          message: "a shard of the checkpoint is missing; pull the model again"))
        // And the tensors it held are missing for the config.
        #expect(findings.contains { $0.found == "no such tensor" })
    }

    @Test func tensorMappedToTheWrongShardIsReported() throws {
        let copy = try ModelCopy("tiny-sd1")
        // The first tensor in data order lands in the first shard; the index sends it to the second.
        let first = try SafetensorsFile(url: copy.url(Self.unet)).tensors[0].name
        try Self.shard(copy, indexEntry: { name, shard in name == first ? "diffusion_pytorch_model-00002-of-00002.safetensors" : shard })
        let findings = unetFindings(copy)
        #expect(findings.contains(Finding(file: "unet/diffusion_pytorch_model-00002-of-00002.safetensors", subject: first,
                                          expected: "the tensor (weight_map in diffusion_pytorch_model.safetensors.index.json sends it here)",
                                          found: "no tensor of that name", message: "the index and the shard disagree; pull the model again")))
        #expect(findings.contains { $0.subject == first && $0.expected == "only in diffusion_pytorch_model-00002-of-00002.safetensors" })
    }

    @Test func tensorStoredInTwoShardsIsReported() throws {
        let copy = try ModelCopy("tiny-sd1")
        try Self.shard(copy, duplicate: "conv_out.bias")
        let findings = unetFindings(copy)
        #expect(findings.errors.map(\.subject) == ["conv_out.bias"])
        // The copy's bytes count twice in the shards, so the index's total no longer adds up.
        #expect(findings.first { $0.severity == .warning }?.subject == "metadata.total_size")
        #expect(findings.first?.found == "also stored here" && findings.first?.expected?.hasPrefix("only in diffusion_pytorch_model-0000") == true)
    }

    @Test func tensorMissingFromTheMapIsReported() throws {
        let copy = try ModelCopy("tiny-sd1")
        try Self.shard(copy, unlisted: "conv_out.bias")
        let findings = unetFindings(copy)
        #expect(findings.first { $0.subject == "conv_out.bias" }?.found == "a tensor the weight_map does not name")
        #expect(findings.contains { $0.subject == "metadata.total_size" } == false)
    }

    @Test func shardWithoutItsIndexIsReported() throws {
        let copy = try ModelCopy("tiny-sd1")
        try Self.shard(copy)
        try copy.remove("unet/diffusion_pytorch_model.safetensors.index.json")
        let findings = unetFindings(copy)
        #expect(findings.map(\.file) == ["unet/diffusion_pytorch_model-00001-of-00002.safetensors", "unet/diffusion_pytorch_model-00002-of-00002.safetensors"])
        #expect(findings.allSatisfy { $0.found == "no index claims it" })
    }

    @Test func variantNamesFollowDiffusers() {
        #expect(WeightSet.variant(of: "diffusion_pytorch_model.fp16.safetensors", dropping: ["safetensors"]) == "fp16")
        #expect(WeightSet.variant(of: "model.safetensors", dropping: ["safetensors"]) == nil)
        #expect(WeightSet.variant(of: "diffusion_pytorch_model.fp16-00001-of-00002.safetensors", dropping: ["safetensors"]) == "fp16")
        #expect(WeightSet.looksLikeShard("diffusion_pytorch_model-00001-of-00002.safetensors"))
        #expect(WeightSet.looksLikeShard("model.fp16-00010-of-00012.safetensors"))
        for name in ["model.safetensors", "model-0001-of-00002.safetensors", "model-00001-of-0002.safetensors",
                     "model-00001_of-00002.safetensors", "model-0000a-of-00002.safetensors", "-00001-of-00002.bin", "00001-of-00002.safetensors"] {
            #expect(!WeightSet.looksLikeShard(name), "\(name)")
        }
        #expect(WeightSet.variant(of: "diffusion_pytorch_model.safetensors.index.fp16.json", dropping: ["safetensors", "index", "json"]) == "fp16")
    }
}
