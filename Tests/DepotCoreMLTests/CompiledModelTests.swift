import DepotCoreML
import DepotFormats
import DepotTestSupport
import Foundation
import Testing

@Suite struct CompiledModelTests {
    @Test(arguments: [CompiledModelWriter.LiteralStyle.scalar, .tensorWrapped])
    func readsHandMadeModelInEitherLiteralStyle(style: CompiledModelWriter.LiteralStyle) throws {
        let folder = try TemporaryDirectory("coreml-compiled")
        let url = folder.path("Model.mlmodelc")
        try CompiledModelWriter(style: style).write(to: url)
        let model = try CoreMLModel(at: url)

        #expect(model.format == .compiled)
        #expect(model.program.version == "1.0")
        let main = try #require(model.program.functions.first)
        #expect(main.name == "main" && main.opset == "ios16")
        #expect(main.inputs == [MILNamedType(name: "x", type: .tensor(.float32, shape: [1, 4])),
                                MILNamedType(name: "y", type: .tensor(.float32, shape: [2, nil]))])
        #expect(main.outputs.map(\.name) == ["left", "right"])
        #expect(main.outputs.first?.type == .tensor(.float32, shape: [1, 4]))

        let operations = main.block.operations
        #expect(operations.map(\.type) == ["const", "const", "const", "const", "mul", "concat", "split"])
        let scale = try #require(operations.first { $0.name == "scale" })
        #expect(scale.attributes["val"]?.scalars == [.float(3)])
        let axes = try #require(operations.first { $0.name == "axes" })
        #expect(axes.attributes["val"]?.scalars == [.integer(0), .integer(-1)])
        let concat = try #require(operations.first { $0.type == "concat" })
        #expect(concat.arguments("values") == [.variable("scaled"), .variable("x")])
        #expect(concat.arguments("interleave") == [.value(MILTypedValue(type: .scalar(.bool), value: .elements([.bool(false)])))])
        let split = try #require(operations.last)
        #expect(split.outputs.map(\.name) == ["left", "right"])

        #expect(model.inputs == [CoreMLFeature(name: "x", dataType: "Float32", shape: [1, 4])])
        #expect(model.outputs.map(\.shape) == [[1, 4], [1, 4]])
        #expect(model.operationHistogram == ["Ios16.mul": 1, "Concat": 1, "Split": 1])
        #expect(model.computePrecision == "Mixed (Float16, Float32)")
        #expect(model.userDefinedMetadata["com.github.apple.coremltools.version"] == "7.2")

        #expect(model.blobs.map(\.name) == ["w0", "w1"])
        #expect(model.blobs.map(\.reference.offset) == [64, 192])
        #expect(model.blobRecords["weights/weight.bin"]?.map(\.offset) == [64, 192])
        #expect(model.weightFiles["weights/weight.bin"]?.declaredCount == 2)
        let weights = model.weights(statisticsLimit: .max)
        #expect(weights.map(\.name) == ["w0", "w1"])
        #expect(weights.map(\.dtype) == ["fp16", "fp16"])
        #expect(weights.map(\.shape) == [[12], [40]])
        #expect(weights.map(\.bytes) == [24, 80])
        #expect(weights.map(\.uniqueValues) == [12, 40])
        let expectedSparsity: [Double?] = [1.0 / 12, 1.0 / 40]
        #expect(weights.map(\.sparsity) == expectedSparsity)
        #expect(model.weights(statisticsLimit: 20).map(\.uniqueValues) == [12, nil])
    }

    @Test(arguments: [CompiledModelWriter.LiteralStyle.scalar, .tensorWrapped])
    func resolvesAPalettizedWeightInTextForm(style: CompiledModelWriter.LiteralStyle) throws {
        let folder = try TemporaryDirectory("coreml-palettized")
        let url = folder.path("Model.mlmodelc")
        try CompiledModelWriter(style: style, palettized: true).write(to: url)
        let model = try CoreMLModel(at: url)
        #expect(model.blobs.map(\.name) == ["w0", "w1", "pw_indices", "pw_lut"])
        #expect(model.blobs.map(\.dataType) == [.float16, .float16, "uint8", .float16])
        let weights = model.weights(statisticsLimit: .max)
        #expect(weights.map(\.name) == ["w0", "w1", "pw"])
        let palettized = try #require(weights.last)
        #expect(palettized.compression == .palettized(bits: 4))
        #expect(palettized.dtype == "fp16" && palettized.shape == [4, 8])
        #expect(palettized.bytes == 16 + 32)
        // Indices i % 10 pick lut entries 0...9: ten values, and index 0 (value 0) at i = 0, 10, 20, 30.
        #expect(palettized.uniqueValues == 10)
        #expect(palettized.sparsity == 4.0 / 32)
    }

    @Test func headerCountBeyondTheRecordsIsCaught() throws {
        let error = try damagedModelError(.headerCountTooLarge)
        guard case .recordChain(_, 3, 3, 384, .recordOutsideFile(fileSize: 384)) = error else {
            Issue.record("expected the missing third record, got \(error)")
            return
        }
        #expect(error.description.contains("record 3 of the 3 the header announces, at offset 384: the 64-byte record does not fit in the file (384 bytes)"))
    }

    @Test func badSentinelIsNamed() throws {
        let error = try damagedModelError(.badSentinel)
        guard case .blobRecord(let file, let weight, let offset, .badSentinel(found: 0xDEAD_BEEE)) = error else {
            Issue.record("expected a bad-sentinel error, got \(error)")
            return
        }
        #expect(file.hasSuffix("Model.mlmodelc/weights/weight.bin"))
        #expect(weight == "w0")
        #expect(offset == 64)
        #expect(error.description.contains("sentinel is 0xDEADBEEE, expected 0xDEADBEEF"))
    }

    @Test func unknownDataTypeIsNamed() throws {
        let error = try damagedModelError(.unknownDataType)
        guard case .blobRecord(_, "w0", 64, .unknownDataType(code: 42)) = error else {
            Issue.record("expected an unknown-dtype error, got \(error)")
            return
        }
        #expect(error.description.contains("unknown dtype code 42"))
    }

    @Test func blobPastTheEndIsNamed() throws {
        let error = try damagedModelError(.blobPastEnd)
        guard case .blobRecord(_, "w1", 192, .dataOutsideFile(dataOffset: 256, size: 80, fileSize: 296)) = error else {
            Issue.record("expected a data-outside-file error, got \(error)")
            return
        }
        #expect(error.description.contains("ends past the end of the file (296 bytes)"))
    }

    @Test func sizeThatDisagreesWithTheDeclaredShapeIsNamed() throws {
        let error = try damagedModelError(.wrongSize)
        guard case .blobRecord(_, "w0", 64, .sizeMismatch(shape: [12], dataType: "fp16", expected: 24, found: 26)) = error else {
            Issue.record("expected a size mismatch for w0, got \(error)")
            return
        }
        #expect(error.description.contains("weight w0"))
        #expect(error.description.contains("fp16 [12] needs 24 bytes but the record says 26"))
    }

    @Test func missingPiecesAreNamed() throws {
        let folder = try TemporaryDirectory("coreml-missing")
        let url = folder.path("Model.mlmodelc")
        try CompiledModelWriter().write(to: url)
        try Data().write(to: url.appendingPathComponent("coremldata.bin"))
        #expect(throws: CoreMLError.missingFile(model: url.path, path: "coremldata.bin", purpose: "it is empty")) {
            try CoreMLModel(at: url)
        }
        try FileManager.default.removeItem(at: url.appendingPathComponent("metadata.json"))
        #expect(throws: CoreMLError.missingFile(model: url.path, path: "metadata.json", purpose: "inputs, outputs and op histogram")) {
            try CoreMLModel(at: url)
        }
    }

    @Test func syntaxErrorsGiveLineAndColumn() throws {
        let folder = try TemporaryDirectory("coreml-syntax")
        let url = folder.path("Model.mlmodelc")
        try CompiledModelWriter().write(to: url)
        let milURL = url.appendingPathComponent("model.mil")
        let text = try String(contentsOf: milURL, encoding: .utf8).replacingOccurrences(of: "mul(x = x,", with: "mul(x = x")
        try text.write(to: milURL, atomically: true, encoding: .utf8)
        do {
            _ = try CoreMLModel(at: url)
            Issue.record("a missing comma was accepted")
        } catch {
            guard case .milSyntax(_, let line, _, let problem) = error else {
                Issue.record("expected a syntax error, got \(error)")
                return
            }
            #expect(line == 9)
            #expect(problem == "expected ')', found 'y'")
        }
    }

    private func damagedModelError(_ damage: CompiledModelWriter.Damage) throws -> CoreMLError {
        let folder = try TemporaryDirectory("coreml-damaged")
        let url = folder.path("Model.mlmodelc")
        try CompiledModelWriter(damage: damage).write(to: url)
        do {
            _ = try CoreMLModel(at: url)
        } catch {
            return error
        }
        throw TestFailure("a weight.bin with \(damage) was accepted")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
