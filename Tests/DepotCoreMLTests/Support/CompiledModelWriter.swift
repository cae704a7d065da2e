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
        /// The header announces one record more than the file holds.
        case headerCountTooLarge
    }

    var style: LiteralStyle = .scalar
    var damage: Damage = .none
    /// Element counts of the fp16 weights.
    var weightElements = [12, 40]
    /// Adds `pw`, a 4-bit palettized [4, 8] weight in the iOS16 form: constexpr_lut_to_dense with a
    /// 16-entry fp16 lut (0, 0.5, 1, ...) and uint8-packed indices i % 10, all as op attributes.
    var palettized = false

    func literal(_ type: String, _ payload: String) -> String {
        style == .scalar ? "\(type)(\(payload))" : "tensor<\(type), []>(\(payload))"
    }

    /// (record dtype code, data) of every blob, in file order.
    private var blobs: [(code: UInt32, data: Data)] {
        var blobs = weightElements.map { elements in
            // fp16 values 0, 1, 2, ... (the first one zero, so sparsity is 1 / elements).
            (code: UInt32(1), data: Data((0..<elements).flatMap { withUnsafeBytes(of: Float16(Float($0)).bitPattern.littleEndian, Array.init) }))
        }
        if palettized {
            let indices = (0..<32).map { UInt8($0 % 10) }
            let packed = stride(from: 0, to: 32, by: 2).map { indices[$0] | indices[$0 + 1] << 4 }
            blobs.append((code: 3, data: Data(packed)))
            blobs.append((code: 1, data: Data((0..<16).flatMap { withUnsafeBytes(of: Float16(Float($0) / 2).bitPattern.littleEndian, Array.init) })))
        }
        return blobs
    }

    func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("weights"), withIntermediateDirectories: true)
        let blobs = self.blobs
        var file = Data(count: 64)
        file.withUnsafeMutableBytes { raw in
            let count = UInt32(blobs.count + (damage == .headerCountTooLarge ? 1 : 0))
            raw.storeBytes(of: count.littleEndian, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: UInt32(2).littleEndian, toByteOffset: 4, as: UInt32.self)
        }
        var offsets: [Int] = []
        for (index, blob) in blobs.enumerated() {
            let recordOffset = file.count
            offsets.append(recordOffset)
            let isLast = index == blobs.count - 1
            var data = blob.data
            if damage == .wrongSize && index == 0 { data += Data(count: 2) }
            var record = Data(count: 64)
            record.withUnsafeMutableBytes { raw in
                let sentinel: UInt32 = damage == .badSentinel && index == 0 ? 0xDEAD_BEEE : 0xDEAD_BEEF
                raw.storeBytes(of: sentinel.littleEndian, toByteOffset: 0, as: UInt32.self)
                raw.storeBytes(of: (damage == .unknownDataType && index == 0 ? 42 : blob.code).littleEndian, toByteOffset: 4, as: UInt32.self)
                raw.storeBytes(of: UInt64(data.count).littleEndian, toByteOffset: 8, as: UInt64.self)
                raw.storeBytes(of: UInt64(recordOffset + 64).littleEndian, toByteOffset: 16, as: UInt64.self)
            }
            file += record
            if damage == .blobPastEnd && isLast {
                file += data.prefix(data.count / 2)
            } else {
                file += data + Data(count: (64 - (file.count + data.count) % 64) % 64)
            }
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
        if palettized {
            let indices = offsets[weightElements.count], lut = offsets[weightElements.count + 1]
            lines.append("            tensor<fp16, [4, 8]> pw = constexpr_lut_to_dense()["
                         + "indices = tensor<uint8, [16]>(BLOBFILE(path = \(path), offset = \(literal("uint64", "\(indices)")))), "
                         + "lut = tensor<fp16, [16]>(BLOBFILE(path = \(path), offset = \(literal("uint64", "\(lut)")))), "
                         + "name = \(literal("string", "\"pw\"")), shape = tensor<uint32, [2]>([4, 8])];")
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
