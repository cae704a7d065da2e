/// One tensor as the header describes it.
public struct SafetensorsTensor: Sendable, Equatable {
    public let name: String
    public let dtype: SafetensorsDType
    public let shape: [Int]
    /// Byte range inside the data section (after the 8-byte length and the header).
    public let dataOffsets: Range<Int>
    /// Byte range inside the whole file.
    public let fileRange: Range<Int>

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A parsed and validated safetensors header, with the reference reader's rules.
public struct SafetensorsHeader: Sendable, Equatable {
    /// Headers larger than this are rejected, as the reference reader does.
    public static let maximumHeaderLength: UInt64 = 100_000_000

    /// The JSON header's length N (the file starts with N as u64 little-endian).
    public let headerLength: Int
    /// The optional `__metadata__` string map.
    public let metadata: [String: String]?
    /// Tensors in data order (sorted by offset).
    public let tensors: [SafetensorsTensor]

    public var dataStart: Int { 8 + headerLength }

    /// Validates `fileBytes`, the complete file; `file` names it in errors.
    public init(fileBytes: UnsafeRawBufferPointer, file: String) throws(SafetensorsError) {
        guard fileBytes.count >= 8 else { throw .tooShort(file: file, length: fileBytes.count) }
        let declared = UInt64(littleEndian: fileBytes.loadUnaligned(as: UInt64.self))
        guard declared <= Self.maximumHeaderLength else { throw .headerTooLarge(file: file, headerLength: declared) }
        let length = Int(declared)
        guard 8 + length <= fileBytes.count else {
            throw .headerBeyondFile(file: file, headerLength: length, fileLength: fileBytes.count)
        }
        let headerBytes = Array(fileBytes[8..<(8 + length)])
        guard String(validating: headerBytes, as: UTF8.self) != nil else { throw .headerNotUTF8(file: file) }
        guard headerBytes.first == UInt8(ascii: "{") else { throw .headerNotObject(file: file) }
        let json: HeaderJSON
        do {
            json = try HeaderJSON.parse(headerBytes)
        } catch {
            throw .headerNotJSON(file: file, offset: error.offset, reason: error.reason)
        }
        guard case let .object(members) = json else { throw .headerNotObject(file: file) }

        var metadata: [String: String]?
        var seen = Set<String>()
        var tensors: [SafetensorsTensor] = []
        for (key, value) in members {
            guard seen.insert(key).inserted else {
                if key == "__metadata__" { throw .invalidMetadata(file: file, reason: "it appears more than once") }
                throw .duplicateTensor(file: file, tensor: key)
            }
            if key == "__metadata__" {
                metadata = try Self.metadata(value, file: file)
            } else {
                tensors.append(try Self.tensor(named: key, value, dataStart: 8 + length, file: file))
            }
        }
        tensors.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }
        var end = 0
        for tensor in tensors {
            guard tensor.dataOffsets.lowerBound == end else {
                throw .notContiguous(file: file, tensor: tensor.name, expectedStart: end, actualStart: tensor.dataOffsets.lowerBound)
            }
            end = tensor.dataOffsets.upperBound
        }
        guard end + 8 + length == fileBytes.count else {
            throw .fileLengthMismatch(file: file, expected: end + 8 + length, actual: fileBytes.count)
        }
        self.headerLength = length
        self.metadata = metadata
        self.tensors = tensors
    }

    private static func metadata(_ value: HeaderJSON, file: String) throws(SafetensorsError) -> [String: String]? {
        switch value {
        case .null:
            return nil
        case let .object(members):
            var map: [String: String] = [:]
            for (key, entry) in members {
                guard case let .string(text) = entry else { throw .invalidMetadata(file: file, reason: "value of '\(key)' is not a string") }
                guard map.updateValue(text, forKey: key) == nil else { throw .invalidMetadata(file: file, reason: "key '\(key)' appears more than once") }
            }
            return map
        default:
            throw .invalidMetadata(file: file, reason: "it is not a map of strings")
        }
    }

    private static func tensor(named name: String, _ value: HeaderJSON, dataStart: Int, file: String) throws(SafetensorsError) -> SafetensorsTensor {
        func invalid(_ reason: String) -> SafetensorsError { .invalidTensorEntry(file: file, tensor: name, reason: reason) }
        guard case let .object(members) = value else { throw invalid("not an object") }
        var dtypeText: String?
        var shapeValues: [HeaderJSON]?
        var offsetValues: [HeaderJSON]?
        for (key, entry) in members {
            switch key {
            case "dtype":
                guard case let .string(text) = entry else { throw invalid("dtype is not a string") }
                dtypeText = text
            case "shape":
                guard case let .array(items) = entry else { throw invalid("shape is not an array") }
                shapeValues = items
            case "data_offsets":
                guard case let .array(items) = entry else { throw invalid("data_offsets is not an array") }
                offsetValues = items
            default:
                continue
            }
        }
        guard let dtypeText else { throw invalid("missing dtype") }
        guard let shapeValues else { throw invalid("missing shape") }
        guard let offsetValues else { throw invalid("missing data_offsets") }
        guard let dtype = SafetensorsDType(rawValue: dtypeText) else {
            throw .unknownDType(file: file, tensor: name, dtype: dtypeText)
        }
        var shape: [Int] = []
        for item in shapeValues {
            guard let dimension = Self.nonNegativeInteger(item) else { throw invalid("shape holds a value that is not a non-negative integer") }
            shape.append(dimension)
        }
        guard offsetValues.count == 2,
              let start = Self.nonNegativeInteger(offsetValues[0]),
              let end = Self.nonNegativeInteger(offsetValues[1]) else {
            throw invalid("data_offsets must be two non-negative integers")
        }
        guard start <= end else { throw invalid("data_offsets end \(end) is before start \(start)") }
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw invalid("shape \(shape) is too large") }
            elements = product
        }
        guard let expected = dtype.byteCount(elements: elements) else {
            throw invalid("shape \(shape) of \(dtype.rawValue) does not fill whole bytes or is too large")
        }
        guard end - start == expected else {
            throw .byteSizeMismatch(file: file, tensor: name, expected: expected, actual: end - start)
        }
        guard end <= Int.max - dataStart else { throw invalid("data_offsets are too large") }
        return SafetensorsTensor(name: name, dtype: dtype, shape: shape, dataOffsets: start..<end,
                                 fileRange: (dataStart + start)..<(dataStart + end))
    }

    private static func nonNegativeInteger(_ value: HeaderJSON) -> Int? {
        guard case let .number(text) = value, !text.contains(where: { ".eE-".contains($0) }) else { return nil }
        return Int(text)
    }
}
