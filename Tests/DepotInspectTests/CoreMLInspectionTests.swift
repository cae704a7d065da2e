import DepotCoreML
import DepotTestSupport
import Foundation
import Testing
@testable import DepotInspect

/// Inspect and the structural check over the real Core ML packages of tiny-sd1 (Apple's converter),
/// through DepotCoreML.
@Suite struct CoreMLInspectionTests {
    static let packages = TestEnvironment.fixture("coreml-tiny-sd1/split_einsum/packages")

    @Test func resourceFolderReportCoversEveryModelAndBlob() throws {
        let report = try ModelInspector.inspect(Self.packages, statistics: .none)
        #expect(report.kind == "coreml-resources")
        #expect(report.architecture == "sd" && report.attention == "split_einsum")
        // The README's VAE decoder output: image [1, 3, 64, 64].
        #expect(report.resolution == "64x64")
        #expect(report.components.map(\.name) == ["TextEncoder", "Unet", "VAEDecoder", "VAEEncoder"])
        #expect(report.findings.isEmpty, "\(report.findings)")
        var records = 0, rows = 0
        for url in CoreMLCheck.models(in: Self.packages) {
            let model = try CoreMLModel(at: url)
            records += model.blobRecords.values.reduce(0) { $0 + $1.count }
            rows += model.weights().count
        }
        #expect(report.blobs.count == records && report.weights.count == rows)
        #expect(report.totals.bytes == report.blobs.reduce(0) { $0 + $1.bytes })
        #expect(report.precision == "float16" && report.compression == "none")
        let embedding = try #require(report.weights.first { $0.name.hasSuffix("text_encoder.mlpackage/text_encoder_text_model_embeddings_token_embedding_weight_to_fp16") })
        #expect(embedding.shape == [49408, 32] && embedding.dtype == "fp16" && embedding.bytes == 49408 * 32 * 2)
        #expect(report.weights.allSatisfy { $0.uniqueValues == nil })
    }

    @Test func statisticsFollowThePolicy() throws {
        let unet = Self.packages.appendingPathComponent("Stable_Diffusion_version_tiny-sd1_unet.mlpackage")
        let limited = try ModelInspector.inspect(unet, statistics: .default)
        let all = try ModelInspector.inspect(unet, statistics: .all)
        #expect(limited.kind == "coreml-mlpackage" && limited.architecture == "Unet" && limited.attention == "split_einsum")
        #expect(all.weights.allSatisfy { $0.uniqueValues != nil && $0.sparsity != nil })
        #expect(limited.weights.allSatisfy { ($0.uniqueValues != nil) == ($0.elementCount <= StatisticsPolicy.defaultElementLimit) })
    }

    @Test func structuralCheckOfARepoFindsTheModelsAndChecksTheFolder() {
        let report = StructuralCheck.run(TestEnvironment.fixture("coreml-tiny-sd1"))
        #expect(report.kind == "coreml" && report.ok)
        #expect(report.filesChecked.count == 4 && report.filesChecked.allSatisfy { $0.hasPrefix("split_einsum/packages/") })
    }

    @Test func damagedWeightFileIsNamedWithTheWeight() throws {
        let temporary = try TemporaryDirectory("depot-inspect-coreml")
        let copy = temporary.path("packages")
        try FileManager.default.copyItem(at: Self.packages, to: copy)
        let weights = copy.appendingPathComponent("Stable_Diffusion_version_tiny-sd1_unet.mlpackage/Data/com.apple.CoreML/weights/weight.bin")
        var bytes = try Data(contentsOf: weights)
        bytes[64] ^= 0xFF  // the first record's sentinel
        try bytes.write(to: weights)
        let report = StructuralCheck.run(copy)
        #expect(!report.ok)
        let finding = try #require(report.findings.first)
        #expect(finding.file == "Stable_Diffusion_version_tiny-sd1_unet.mlpackage")
        #expect(finding.subject != nil && finding.message.contains("sentinel is 0x") && finding.message.contains("expected 0xDEADBEEF"))
        #expect(!finding.message.contains(temporary.url.path))
    }

    @Test func resourceFolderProblemsBecomeFindings() throws {
        let temporary = try TemporaryDirectory("depot-inspect-coreml-chunks")
        let folder = temporary.path("Resources")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A chunked UNet with its second half missing.
        try FileManager.default.copyItem(at: Self.packages.appendingPathComponent("Stable_Diffusion_version_tiny-sd1_unet.mlpackage"),
                                         to: folder.appendingPathComponent("Stable_Diffusion_version_tiny-sd1_unet_chunk1.mlpackage"))
        try FileManager.default.copyItem(at: Self.packages.appendingPathComponent("Stable_Diffusion_version_tiny-sd1_vae_decoder.mlpackage"),
                                         to: folder.appendingPathComponent("Stable_Diffusion_version_tiny-sd1_vae_decoder.mlpackage"))
        let report = StructuralCheck.run(folder)
        #expect(report.findings == [Finding(file: ".", subject: "chunks", message: "UnetChunk1 is present but UnetChunk2 is missing")])
        let inspected = try ModelInspector.inspect(folder, statistics: .none)
        #expect(inspected.findings.map(\.subject) == ["chunks"] && !inspected.ok)
    }
}
