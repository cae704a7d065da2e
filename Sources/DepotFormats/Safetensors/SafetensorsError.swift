/// Everything that can be wrong with a safetensors file, each naming the file (and tensor).
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(file: String, reason: String)
    case tooShort(file: String, length: Int)
    case headerTooLarge(file: String, headerLength: UInt64)
    case headerBeyondFile(file: String, headerLength: Int, fileLength: Int)
    case headerNotUTF8(file: String)
    case headerNotJSON(file: String, offset: Int, reason: String)
    case headerNotObject(file: String)
    case invalidMetadata(file: String, reason: String)
    case duplicateTensor(file: String, tensor: String)
    case invalidTensorEntry(file: String, tensor: String, reason: String)
    case unknownDType(file: String, tensor: String, dtype: String)
    case byteSizeMismatch(file: String, tensor: String, expected: Int, actual: Int)
    case notContiguous(file: String, tensor: String, expectedStart: Int, actualStart: Int)
    case fileLengthMismatch(file: String, expected: Int, actual: Int)
    case tensorNotFound(file: String, tensor: String)
    case unsupportedDType(file: String, tensor: String, dtype: SafetensorsDType, wanted: String)

    public var description: String {
        let redownload = "The file is damaged or not a safetensors file: download it again (depot pull) or replace it."
        switch self {
        case let .cannotOpen(file, reason):
            return "cannot open safetensors file \(file): \(reason). Check that the path exists and is readable."
        case let .tooShort(file, length):
            return "\(file) is \(length) bytes, shorter than the 8-byte header length. \(redownload)"
        case let .headerTooLarge(file, headerLength):
            return "\(file) declares a \(headerLength)-byte header, more than the 100,000,000 allowed. \(redownload)"
        case let .headerBeyondFile(file, headerLength, fileLength):
            return "\(file) declares a \(headerLength)-byte header but the file has only \(fileLength) bytes. \(redownload)"
        case let .headerNotUTF8(file):
            return "\(file): the header is not valid UTF-8. \(redownload)"
        case let .headerNotJSON(file, offset, reason):
            return "\(file): the header is not valid JSON (\(reason) at header byte \(offset)). \(redownload)"
        case let .headerNotObject(file):
            return "\(file): the header is not a JSON object. \(redownload)"
        case let .invalidMetadata(file, reason):
            return "\(file): __metadata__ is invalid: \(reason). \(redownload)"
        case let .duplicateTensor(file, tensor):
            return "\(file): tensor '\(tensor)' appears more than once in the header. \(redownload)"
        case let .invalidTensorEntry(file, tensor, reason):
            return "\(file): tensor '\(tensor)' has an invalid header entry: \(reason). \(redownload)"
        case let .unknownDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)' has unknown dtype '\(dtype)'. \(redownload)"
        case let .byteSizeMismatch(file, tensor, expected, actual):
            return "\(file): tensor '\(tensor)' spans \(actual) bytes but its shape and dtype need \(expected). \(redownload)"
        case let .notContiguous(file, tensor, expectedStart, actualStart):
            return "\(file): tensor '\(tensor)' starts at data byte \(actualStart), expected \(expectedStart) (tensors must be contiguous, without gaps or overlaps). \(redownload)"
        case let .fileLengthMismatch(file, expected, actual):
            return "\(file) is \(actual) bytes but its header describes \(expected) (truncated or with trailing bytes). \(redownload)"
        case let .tensorNotFound(file, tensor):
            return "\(file) has no tensor named '\(tensor)'. The checkpoint does not match its config.json: pull the model again or use a matching one."
        case let .unsupportedDType(file, tensor, dtype, wanted):
            return "\(file): tensor '\(tensor)' is \(dtype.rawValue), which cannot be read as \(wanted)."
        }
    }
}
