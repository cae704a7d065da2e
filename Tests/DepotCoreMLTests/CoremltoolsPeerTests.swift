import DepotCoreML
import DepotFormats
import DepotTestSupport
import Foundation
import Testing

/// coremltools writes tiny .mlpackage files (dense and compressed) and says what it reads back;
/// depot's reader must report the same blobs, weights, shapes, dtypes, compression and statistics.
@Suite(.serialized) struct CoremltoolsPeerTests {
    struct PeerBlob: Decodable {
        var name: String
        var dtype: String
        var shape: [Int]
        var offset: UInt64
        var unique_values: Int
        var sparsity: Double
    }

    struct PeerWeight: Decodable {
        var name: String
        var op: String
        var shape: [Int]
        var dtype: String
        var unique_values: Int
        var sparsity: Double
    }

    struct PeerModel: Decodable {
        var path: String
        var expect: WeightCompression?
        var blobs: [PeerBlob]
        var weights: [PeerWeight]
        var weight_bin_count: Int
    }

    static let generated: Result<(TemporaryDirectory, [String: PeerModel]), any Error> = Result {
        let folder = try TemporaryDirectory("coremltools-peer")
        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/coremltools/make_mlpackages.py")
        let result = try runChecked(try TestEnvironment.python(), [script.path, folder.url.path], timeout: 600)
        return (folder, try JSONDecoder().decode([String: PeerModel].self, from: result.stdoutData))
    }

    static let variants = ["float32", "float16", "palettized2", "palettized4", "palettized6", "palettized8", "int8", "sparse",
                           "palettized4-ios16", "int8-ios16", "sparse-ios16"]

    @Test(arguments: variants)
    func matchesCoremltools(variant: String) throws {
        let (_, models) = try Self.generated.get()
        let peer = try #require(models[variant], "the generator wrote no \(variant) model")
        let model = try CoreMLModel(at: URL(fileURLWithPath: peer.path))

        // Blob level: every BLOBFILE value, as coremltools' get_weights_metadata sees it
        // (compared by name: protobuf maps have no defined order).
        #expect(Set(model.blobs.map(\.name)) == Set(peer.blobs.map(\.name)))
        #expect(model.blobs.count == peer.blobs.count)
        for blob in model.blobs {
            guard let expected = peer.blobs.first(where: { $0.name == blob.name }) else { continue }
            #expect(blob.dataType.rawValue == expected.dtype, "\(blob.name) dtype")
            #expect(blob.shape == expected.shape, "\(blob.name) shape")
            #expect(blob.reference.offset == expected.offset, "\(blob.name) offset")
        }
        #expect(model.blobs.count == peer.weight_bin_count)
        #expect(model.blobRecords["weights/weight.bin"]?.count == peer.weight_bin_count)

        // Weight level: dense weights with compression resolved.
        let weights = model.weights(statisticsLimit: .max)
        let blobNames = Set(peer.blobs.map(\.name))
        let denseBlobs = weights.filter { blobNames.contains($0.name) }
        let compressed = weights.filter { !blobNames.contains($0.name) }
        #expect(Set(compressed.map(\.name)) == Set(peer.weights.map(\.name)))
        for weight in compressed {
            guard let expected = peer.weights.first(where: { $0.name == weight.name }) else { continue }
            #expect(weight.shape == expected.shape, "\(weight.name) dense shape")
            #expect(weight.dtype == expected.dtype, "\(weight.name) dense dtype")
            #expect(weight.compression == peer.expect, "\(weight.name) compression (\(expected.op))")
            #expect(weight.uniqueValues == expected.unique_values, "\(weight.name) unique values")
            #expect(weight.sparsity.map { abs($0 - expected.sparsity) < 1e-9 } == true, "\(weight.name) sparsity")
            #expect(weight.bytes > 0 && weight.bytes < weight.elementCount * 2, "\(weight.name) stored smaller than dense")
        }
        for weight in denseBlobs {
            let expected = try #require(peer.blobs.first { $0.name == weight.name })
            #expect(weight.compression == nil)
            #expect(weight.uniqueValues == expected.unique_values, "\(weight.name) unique values")
            #expect(weight.sparsity.map { abs($0 - expected.sparsity) < 1e-9 } == true, "\(weight.name) sparsity")
        }
        if peer.expect == nil {
            #expect(compressed.isEmpty)
            #expect(Set(denseBlobs.map(\.name)) == Set(peer.blobs.map(\.name)))
        }
    }

    @Test func blobStatisticsMatchGetWeightsMetadata() throws {
        let (_, models) = try Self.generated.get()
        for variant in Self.variants {
            let peer = try #require(models[variant])
            let model = try CoreMLModel(at: URL(fileURLWithPath: peer.path))
            let statistics = model.blobStatistics()
            for expected in peer.blobs {
                let found = try #require(statistics[expected.name], "\(variant): no statistics for \(expected.name)")
                #expect(found.uniqueValues == expected.unique_values, "\(variant) \(expected.name) unique values")
                #expect(abs(found.sparsity - expected.sparsity) < 1e-9, "\(variant) \(expected.name) sparsity")
            }
        }
    }
}
