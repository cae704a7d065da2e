import DepotFormats

/// Materialises the dense values of a weight (for statistics): blob data decoded by dtype, and the
/// constexpr decompressions — lookup tables, affine dequantisation, blockwise shift/scale, sparse masks.
/// Returns nil for what it does not decode (vector palettization, fp8), rather than guessing.
struct DenseWeightDecoder {
    let graph: WeightGraph
    let files: [String: WeightFile]

    func values(of source: WeightGraph.Source) -> [Float]? {
        switch source {
        case .blob(let index):
            let blob = graph.blobs[index]
            guard let file = files[blob.file] else { return nil }
            let count = blob.shape.reduce(1, *)
            return file.withData(of: blob.record) { Self.decode($0, as: blob.record.dataType, count: count) }
        case .immediate(let value):
            if case .bytes(let bytes) = value.value, let blobType = value.type?.dataType?.blobType {
                let count = value.type?.knownShape?.reduce(1, *) ?? 0
                return bytes.withUnsafeBytes { Self.decode($0, as: blobType, count: count) }
            }
            return value.scalars?.compactMap { $0.doubleValue.map(Float.init) }
        case .constexpr(let operation):
            // The op's arithmetic happens in its output type: round like a float16 computation would.
            guard let dense = decompress(operation) else { return nil }
            return operation.outputs.first?.type.dataType == .float16 ? dense.map { Float(Float16($0)) } : dense
        }
    }

    private func input(_ operation: MILOperation, _ name: String) -> (values: [Float], shape: [Int])? {
        guard let source = graph.source(of: operation, input: name), let values = values(of: source) else { return nil }
        return (values, graph.type(of: operation, input: name)?.knownShape ?? [values.count])
    }

    private func decompress(_ operation: MILOperation) -> [Float]? {
        guard let shape = operation.outputs.first?.type.knownShape else { return nil }
        let count = shape.reduce(1, *)
        switch operation.type {
        case "constexpr_lut_to_dense":
            guard let lut = input(operation, "lut") else { return nil }
            if lut.shape.count == 1 {
                // iOS16: indices packed into uint8 bytes, log2(lut size) bits each, LSB first.
                guard let packed = rawBytes(operation, "indices") else { return nil }
                let bits = lut.shape[0].trailingZeroBitCount
                return (0..<count).map { lut.values[Self.unpack(packed, index: $0, bits: bits)] }
            }
            // iOS18: typed indices with the dense shape; lut [groups..., 2^n, vector size].
            guard lut.shape.last == 1, let indices = input(operation, "indices") else { return nil }
            let entries = lut.shape[lut.shape.count - 2]
            let groups = Array(lut.shape.dropLast(2))
            return (0..<count).map { index in
                let group = Self.blockIndex(index, shape: shape, blocks: groups)
                return lut.values[group * entries + Int(indices.values[index])]
            }
        case "constexpr_affine_dequantize":
            guard let data = input(operation, "quantized_data"), let scale = input(operation, "scale"),
                  let zero = input(operation, "zero_point") else { return nil }
            let axis = graph.source(of: operation, input: "axis").flatMap(values)?.first.map(Int.init)
                ?? operation.attributes["axis"]?.scalars?.first?.integerValue.map(Int.init) ?? 0
            let normalized = axis < 0 ? axis + shape.count : axis
            return (0..<count).map { index in
                let channel = Self.coordinate(index, shape: shape, axis: normalized)
                let s = scale.values.count == 1 ? scale.values[0] : scale.values[channel]
                let z = zero.values.count == 1 ? zero.values[0] : zero.values[channel]
                return (data.values[index] - z) * s
            }
        case "constexpr_blockwise_shift_scale":
            guard let data = input(operation, "data"), let scale = input(operation, "scale") else { return nil }
            let offset = input(operation, "offset")
            return (0..<count).map { index in
                let block = Self.blockIndex(index, shape: shape, blocks: scale.shape)
                return (data.values[index] - (offset?.values[block] ?? 0)) * scale.values[block]
            }
        case "constexpr_sparse_to_dense":
            guard let nonzero = input(operation, "nonzero_data") else { return nil }
            let mask: [Bool]
            if let type = graph.type(of: operation, input: "mask"), type.dataType == "uint1", let bits = input(operation, "mask") {
                mask = bits.values.map { $0 != 0 }
            } else if let packed = rawBytes(operation, "mask") {
                mask = (0..<count).map { Self.unpack(packed, index: $0, bits: 1) != 0 }
            } else {
                return nil
            }
            var next = 0
            var result = [Float](repeating: 0, count: count)
            for index in 0..<min(count, mask.count) where mask[index] {
                guard next < nonzero.values.count else { return nil }
                result[index] = nonzero.values[next]
                next += 1
            }
            return result
        case "constexpr_cast":
            return graph.source(of: operation, input: "source").flatMap(values)
        default:
            return nil
        }
    }

    private func rawBytes(_ operation: MILOperation, _ name: String) -> [UInt8]? {
        switch graph.source(of: operation, input: name) {
        case .blob(let index):
            let blob = graph.blobs[index]
            return files[blob.file]?.withData(of: blob.record) { Array($0) }
        case .immediate(let value):
            if case .bytes(let bytes) = value.value { return bytes }
            return value.scalars?.compactMap { $0.integerValue.map { UInt8(truncatingIfNeeded: $0) } }
        default:
            return nil
        }
    }

    /// The `bits`-wide unsigned value at `index` of an LSB-first packed stream.
    static func unpack(_ bytes: [UInt8], index: Int, bits: Int) -> Int {
        var value = 0
        for bit in 0..<bits {
            let position = index * bits + bit
            guard position / 8 < bytes.count else { break }
            value |= Int((bytes[position / 8] >> (position % 8)) & 1) << bit
        }
        return value
    }

    /// The flat index of the block an element falls in, when `blocks` divides each dimension of `shape` evenly.
    static func blockIndex(_ index: Int, shape: [Int], blocks: [Int]) -> Int {
        guard blocks.count == shape.count else { return 0 }
        var remainder = index, block = 0, step = 1
        for dimension in stride(from: shape.count - 1, through: 0, by: -1) {
            let coordinate = remainder % shape[dimension]
            remainder /= shape[dimension]
            let blockSize = max(1, shape[dimension] / max(1, blocks[dimension]))
            block += (coordinate / blockSize) * step
            step *= blocks[dimension]
        }
        return block
    }

    static func coordinate(_ index: Int, shape: [Int], axis: Int) -> Int {
        let inner = shape.dropFirst(axis + 1).reduce(1, *)
        return (index / inner) % shape[axis]
    }

    /// Elements of a blob as Float, for the dtypes weights use.
    static func decode(_ raw: UnsafeRawBufferPointer, as type: WeightBlobDataType, count: Int) -> [Float]? {
        guard type.byteCount(elements: count) <= raw.count else { return nil }
        switch type {
        case .float16:
            return (0..<count).map { Float(Float16(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self).littleEndian)) }
        case .float32:
            return (0..<count).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian) }
        case .bfloat16:
            return (0..<count).map { Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self).littleEndian) << 16) }
        case .uint8: return (0..<count).map { Float(raw[$0]) }
        case .int8: return (0..<count).map { Float(Int8(bitPattern: raw[$0])) }
        case .int16: return (0..<count).map { Float(raw.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self).littleEndian) }
        case .uint16: return (0..<count).map { Float(raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self).littleEndian) }
        case .int32: return (0..<count).map { Float(raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self).littleEndian) }
        case .uint32: return (0..<count).map { Float(raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian) }
        case .uint1, .uint2, .uint3, .uint4, .uint6:
            let bytes = Array(raw)
            return (0..<count).map { Float(unpack(bytes, index: $0, bits: type.bitsPerElement)) }
        case .int4:
            let bytes = Array(raw)
            return (0..<count).map { index in
                let nibble = unpack(bytes, index: index, bits: 4)
                return Float(nibble >= 8 ? nibble - 16 : nibble)
            }
        case .float8E4M3FN, .float8E5M2:
            return nil
        }
    }
}
