import Foundation

/// Writes small hand-made .mlmodelc folders for tests: a model.mil in either literal style, a
/// weight.bin of fp16 blobs (or with deliberate damage), metadata.json and coremldata.bin.
struct CompiledModelWriter {
    enum LiteralStyle {
        /// `tensor<string, []>("x")`, `tensor<uint64, []>(64)`: what older compilers write.
        case tensorWrapped
        /// `string("x")`, `uint64(64)`.
        case scalar
    }

    enum Damage {
        case none
        case badSentinel
        case unknownDataType
        case blobPastEnd
        case wrongSize
    }

    var style: LiteralStyle = .scalar
    var damage: Damage = .none
    /// Element counts of the fp16 weights.
    var weightElements = [12, 40]

    func literal(_ type: String, _ payload: String) -> String {
        style == .scalar ? "\(type)(\(payload))" : "tensor<\(type), []>(\(payload))"
    }

    func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("weights"), withIntermediateDirectories: true)
        var file = Data(count: 64)
        file.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt32(weightElements.count).littleEndian, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: UInt32(2).littleEndian, toByteOffset: 4, as: UInt32.self)
        }
        var offsets: [Int] = []
        for (index, elements) in weightElements.enumerated() {
            let recordOffset = file.count
            offsets.append(recordOffset)
            let isLast = index == weightElements.count - 1
            var size = UInt64(elements * 2)
            if damage == .wrongSize && index == 0 { size += 2 }
            var record = Data(count: 64)
            record.withUnsafeMutableBytes { raw in
                let sentinel: UInt32 = damage == .badSentinel && index == 0 ? 0xDEAD_BEEE : 0xDEAD_BEEF
                raw.storeBytes(of: sentinel.littleEndian, toByteOffset: 0, as: UInt32.self)
                raw.storeBytes(of: UInt32(damage == .unknownDataType && index == 0 ? 42 : 1).littleEndian, toByteOffset: 4, as: UInt32.self)
                raw.storeBytes(of: size.littleEndian, toByteOffset: 8, as: UInt64.self)
                raw.storeBytes(of: UInt64(recordOffset + 64).littleEndian, toByteOffset: 16, as: UInt64.self)
            }
            file += record
            // fp16 values 0, 1, 2, ... (the first one zero, so sparsity is 1 / elements).
            var data = Data(count: Int(size))
            data.withUnsafeMutableBytes { raw in
                for element in 0..<Int(size) / 2 {
                    raw.storeBytes(of: Float16(Float(element)).bitPattern.littleEndian, toByteOffset: element * 2, as: UInt16.self)
                }
            }
            if damage == .blobPastEnd && isLast { data = data.prefix(data.count / 2) }
            file += data
            if !(damage == .blobPastEnd && isLast) { file += Data(count: (64 - file.count % 64) % 64) }
        }
        try file.write(to: folder.appendingPathComponent("weights/weight.bin"))
        try modelMIL(offsets: offsets).write(to: folder.appendingPathComponent("model.mil"), atomically: true, encoding: .utf8)
        try metadataJSON.write(to: folder.appendingPathComponent("metadata.json"), atomically: true, encoding: .utf8)
        try Data("compiled model description".utf8).write(to: folder.appendingPathComponent("coremldata.bin"))
    }

    private func modelMIL(offsets: [Int]) -> String {
        let path = literal("string", "\"@model_path/weights/weight.bin\"")
        var lines = [
            "program(1.0)",
            "[buildInfo = dict<tensor<string, []>, tensor<string, []>>({{\"coremlc-component-MIL\", \"3304.5.2\"}, {\"coremltools-version\", \"7.2\"}})]",
            "{",
            "    func main<ios16>(tensor<fp32, [1, 4]> x, tensor<fp32, [2, ?]> y) {",
        ]
        for (index, elements) in weightElements.enumerated() {
            let type = "tensor<fp16, [\(elements)]>"
            lines.append("            \(type) w\(index) = const()[name = \(literal("string", "\"w\(index)\"")), "
                         + "val = \(type)(BLOBFILE(path = \(path), offset = \(literal("uint64", "\(offsets[index])"))))];")
        }
        lines += [
            "            tensor<fp32, []> scale = const()[name = \(literal("string", "\"scale\"")), val = \(literal("fp32", "0x1.8p+1"))];",
            "            tensor<int32, [2]> axes = const()[name = \(literal("string", "\"axes\"")), val = tensor<int32, [2]>([0, -1])];",
            "            tensor<fp32, [1, 4]> scaled = mul(x = x, y = scale)[name = \(literal("string", "\"scaled\""))];",
            "            tensor<fp32, [1, 8]> joined = concat(axis = \(literal("int32", "-1")), interleave = \(literal("bool", "false")), values = (scaled, x))[name = \(literal("string", "\"joined\""))];",
            "            (tensor<fp32, [1, 4]> left, tensor<fp32, [1, 4]> right) = split(x = joined, num_splits = \(literal("int32", "2")), axis = \(literal("int32", "1")))[name = \(literal("string", "\"split\""))];",
            "    } -> (left, right);",
            "}",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private var metadataJSON: String {
        """
        [{"metadataOutputVersion": "3.0", "specificationVersion": 7, "computePrecision": "Mixed (Float16, Float32)",
          "storagePrecision": "Float16", "mlProgramOperationTypeHistogram": {"Ios16.mul": 1, "Concat": 1, "Split": 1},
          "userDefinedMetadata": {"com.github.apple.coremltools.version": "7.2"},
          "inputSchema": [{"name": "x", "type": "MultiArray", "dataType": "Float32", "shape": "[1, 4]"}],
          "outputSchema": [{"name": "left", "type": "MultiArray", "dataType": "Float32", "shape": "[1, 4]"},
                           {"name": "right", "type": "MultiArray", "dataType": "Float32", "shape": "[1, 4]"}]}]
        """
    }
}
