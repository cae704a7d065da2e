import DepotCoreML
import DepotTestSupport
import Foundation
import Testing

/// Copies of a real fixture package with one thing broken: each is caught with its file named.
@Suite struct MalformedPackageTests {
    static func copyOfVAEDecoder(_ folder: TemporaryDirectory) throws -> URL {
        let source = TinySDFixtureTests.package("vae_decoder")
        let copy = folder.path("VAEDecoder.mlpackage")
        try FileManager.default.copyItem(at: source, to: copy)
        return copy
    }

    @Test func truncatedProtobufIsReported() throws {
        let folder = try TemporaryDirectory("coreml-truncated")
        let package = try Self.copyOfVAEDecoder(folder)
        let spec = package.appendingPathComponent("Data/com.apple.CoreML/model.mlmodel")
        let bytes = try Data(contentsOf: spec)
        try bytes.prefix(bytes.count / 2).write(to: spec)
        do {
            _ = try CoreMLModel(at: package)
            Issue.record("a truncated model.mlmodel was accepted")
        } catch {
            guard case .invalidProtobuf(let file, .malformed(_, _, let reason)) = error else {
                Issue.record("expected a protobuf error, got \(error)")
                return
            }
            #expect(file == spec.path)
            #expect(reason.contains("remain") || reason.contains("truncated"))
        }
    }

    @Test func manifestPathsMustExist() throws {
        let folder = try TemporaryDirectory("coreml-manifest")
        let package = try Self.copyOfVAEDecoder(folder)
        try FileManager.default.removeItem(at: package.appendingPathComponent("Data/com.apple.CoreML/weights"))
        do {
            _ = try CoreMLModel(at: package)
            Issue.record("a package without its weights folder was accepted")
        } catch {
            guard case .invalidManifest(let file, let problem) = error else {
                Issue.record("expected a manifest error, got \(error)")
                return
            }
            #expect(file.hasSuffix("VAEDecoder.mlpackage/Manifest.json"))
            #expect(problem.hasSuffix("names Data/com.apple.CoreML/weights, which does not exist"))
        }
    }

    @Test func truncatedWeightFileNamesTheWeight() throws {
        let folder = try TemporaryDirectory("coreml-short-weights")
        let package = try Self.copyOfVAEDecoder(folder)
        let weights = package.appendingPathComponent("Data/com.apple.CoreML/weights/weight.bin")
        let bytes = try Data(contentsOf: weights)
        try bytes.prefix(bytes.count - 4096).write(to: weights)
        do {
            _ = try CoreMLModel(at: package)
            Issue.record("a truncated weight.bin was accepted")
        } catch {
            guard case .blobRecord(let file, let weight, _, let problem) = error else {
                Issue.record("expected a blob record error, got \(error)")
                return
            }
            #expect(file == weights.path)
            #expect(!weight.isEmpty && !weight.hasPrefix("record "))
            switch problem {
            case .dataOutsideFile, .recordOutsideFile: break
            default: Issue.record("expected data or record outside the file, got \(problem)")
            }
        }
    }
}
