import Foundation

/// A memory-mapped safetensors file: the header is validated on open and tensor bytes are
/// zero-copy views into the mapping, converted to Float only when read.
public final class SafetensorsFile: Sendable {
    public let url: URL
    public let header: SafetensorsHeader
    private let mapping: MappedFile
    private let index: [String: Int]

    public init(url: URL) throws(SafetensorsError) {
        self.url = url
        mapping = try MappedFile(path: url.path)
        header = try SafetensorsHeader(fileBytes: mapping.bytes, file: url.path)
        var index: [String: Int] = [:]
        for (position, tensor) in header.tensors.enumerated() { index[tensor.name] = position }
        self.index = index
    }

    public var metadata: [String: String]? { header.metadata }
    /// Every tensor, in data order.
    public var tensors: [SafetensorsTensor] { header.tensors }

    public func contains(_ name: String) -> Bool { index[name] != nil }

    public func tensor(_ name: String) throws(SafetensorsError) -> SafetensorsTensor {
        guard let position = index[name] else { throw .tensorNotFound(file: url.path, tensor: name) }
        return header.tensors[position]
    }

    /// The tensor's raw little-endian bytes, valid only inside `body`.
    public func withRawBytes<Result>(of name: String, _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        let info = try tensor(name)
        return try body(UnsafeRawBufferPointer(rebasing: mapping.bytes[info.fileRange]))
    }

    /// Reads an F32/F16/BF16 tensor as Float32 into `destination`, which must hold exactly its elements.
    public func readFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws(SafetensorsError) {
        let info = try floatTensor(name)
        precondition(destination.count == info.elementCount, "destination holds \(destination.count) floats, tensor \(name) has \(info.elementCount)")
        convert(info, into: destination)
    }

    /// Reads an F32/F16/BF16 tensor as Float32.
    public func floats(_ name: String) throws(SafetensorsError) -> [Float] {
        let info = try floatTensor(name)
        return [Float](unsafeUninitializedCapacity: info.elementCount) { buffer, initialized in
            convert(info, into: buffer)
            initialized = info.elementCount
        }
    }

    /// Reads elements `range` (in row-major element order) of an F32/F16/BF16 tensor as Float32,
    /// converting only those bytes, e.g. a few rows of an embedding table.
    public func floats(_ name: String, elements range: Range<Int>) throws(SafetensorsError) -> [Float] {
        let info = try floatTensor(name)
        precondition(range.lowerBound >= 0 && range.upperBound <= info.elementCount, "elements \(range) outside tensor \(name) of \(info.elementCount)")
        let size = info.dtype.byteSize
        let start = info.fileRange.lowerBound + range.lowerBound * size
        let source = UnsafeRawBufferPointer(rebasing: mapping.bytes[start..<(start + range.count * size)])
        return [Float](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            convert(source, dtype: info.dtype, into: buffer)
            initialized = range.count
        }
    }

    private func floatTensor(_ name: String) throws(SafetensorsError) -> SafetensorsTensor {
        let info = try tensor(name)
        guard info.dtype.isReadableAsFloat else {
            throw .unsupportedDType(file: url.path, tensor: name, dtype: info.dtype, wanted: "float32")
        }
        return info
    }

    private func convert(_ info: SafetensorsTensor, into destination: UnsafeMutableBufferPointer<Float>) {
        convert(UnsafeRawBufferPointer(rebasing: mapping.bytes[info.fileRange]), dtype: info.dtype, into: destination)
    }

    /// Large tensors are converted in parallel slices: the conversion is bound by memory traffic.
    private func convert(_ source: UnsafeRawBufferPointer, dtype: SafetensorsDType, into destination: UnsafeMutableBufferPointer<Float>) {
        let sliceCount = destination.count >= 1 << 20 ? ProcessInfo.processInfo.activeProcessorCount : 1
        if sliceCount <= 1 {
            Self.convertSlice(source, dtype: dtype, into: destination)
            return
        }
        let size = dtype.byteSize
        let sliceLength = (destination.count + sliceCount - 1) / sliceCount
        // Each slice writes its own part of the destination.
        let buffers = SlicedConversion(source: source, destination: destination)
        DispatchQueue.concurrentPerform(iterations: sliceCount) { slice in
            let start = slice * sliceLength, end = min(buffers.destination.count, start + sliceLength)
            guard start < end else { return }
            Self.convertSlice(UnsafeRawBufferPointer(rebasing: buffers.source[(start * size)..<(end * size)]), dtype: dtype,
                              into: UnsafeMutableBufferPointer(rebasing: buffers.destination[start..<end]))
        }
    }

    private struct SlicedConversion: @unchecked Sendable {
        let source: UnsafeRawBufferPointer
        let destination: UnsafeMutableBufferPointer<Float>
    }

    private static func convertSlice(_ source: UnsafeRawBufferPointer, dtype: SafetensorsDType, into destination: UnsafeMutableBufferPointer<Float>) {
        switch dtype {
        case .f16: HalfPrecision.float16ToFloat(source, destination)
        case .bf16: HalfPrecision.bfloat16ToFloat(source, destination)
        default:
            if let target = destination.baseAddress, let base = source.baseAddress {
                UnsafeMutableRawPointer(target).copyMemory(from: base, byteCount: source.count)
            }
        }
    }

    /// Reads an integer tensor (U8, I8, I16, U16, I32, U32, I64) as Int.
    public func integers(_ name: String) throws(SafetensorsError) -> [Int] {
        let info = try tensor(name)
        let bytes = UnsafeRawBufferPointer(rebasing: mapping.bytes[info.fileRange])
        let count = info.elementCount
        func load<T: FixedWidthInteger>(_: T.Type) -> [Int] {
            (0..<count).map { Int(T(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))) }
        }
        switch info.dtype {
        case .u8: return load(UInt8.self)
        case .i8: return load(Int8.self)
        case .i16: return load(Int16.self)
        case .u16: return load(UInt16.self)
        case .i32: return load(Int32.self)
        case .u32: return load(UInt32.self)
        case .i64: return load(Int64.self)
        default: throw .unsupportedDType(file: url.path, tensor: name, dtype: info.dtype, wanted: "integers")
        }
    }
}
