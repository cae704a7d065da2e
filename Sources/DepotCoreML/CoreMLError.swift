/// What is wrong with one blob record, relative to the const that references it.
public enum BlobProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case misaligned
    case recordOutsideFile(fileSize: UInt64)
    case badSentinel(found: UInt32)
    case unknownDataType(code: UInt32)
    case dataOutsideFile(dataOffset: UInt64, size: UInt64, fileSize: UInt64)
    case undeclaredShape
    case dataTypeMismatch(declared: String, found: String)
    case sizeMismatch(shape: [Int], dataType: String, expected: UInt64, found: UInt64)

    public var description: String {
        switch self {
        case .misaligned:
            "the offset is not on a 64-byte boundary"
        case .recordOutsideFile(let fileSize):
            "the 64-byte record does not fit in the file (\(fileSize) bytes)"
        case .badSentinel(let found):
            "sentinel is 0x\(String(found, radix: 16, uppercase: true)), expected 0xDEADBEEF"
        case .unknownDataType(let code):
            "unknown dtype code \(code) (known: 1-17)"
        case .dataOutsideFile(let dataOffset, let size, let fileSize):
            "data of \(size) bytes at offset \(dataOffset) ends past the end of the file (\(fileSize) bytes)"
        case .undeclaredShape:
            "the const's type has no fixed tensor shape, so its size cannot be checked"
        case .dataTypeMismatch(let declared, let found):
            "the const is declared \(declared) but the record holds \(found)"
        case .sizeMismatch(let shape, let dataType, let expected, let found):
            "\(dataType) \(shape) needs \(expected) bytes but the record says \(found)"
        }
    }
}

/// Errors reading a Core ML model. Each names the file and, where one is involved, the weight or op.
public enum CoreMLError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotRead(file: String, reason: String)
    case missingFile(model: String, path: String, purpose: String)
    case notAModel(path: String)
    case invalidManifest(file: String, problem: String)
    case invalidMetadata(file: String, problem: String)
    case invalidProtobuf(file: String, problem: ProtobufError)
    case milSyntax(file: String, line: Int, column: Int, problem: String)
    case noProgram(file: String)
    case weightFileHeader(file: String, problem: String)
    case blobRecord(file: String, weight: String, offset: UInt64, problem: BlobProblem)
    /// A record found by walking the file from its header (`index` counts from 1).
    case recordChain(file: String, index: Int, count: Int, offset: UInt64, problem: BlobProblem)
    case unresolvedWeightPath(weight: String, path: String, model: String)

    public var description: String {
        let advice = "the model is damaged or incomplete: pull it again (depot pull NAME) or re-export it with coremltools"
        switch self {
        case .cannotRead(let file, let reason):
            return "cannot read \(file): \(reason)"
        case .missingFile(let model, let path, let purpose):
            return "\(model): \(path) is missing (\(purpose)); \(advice)"
        case .notAModel(let path):
            return "\(path) is not a Core ML model: expected an .mlmodelc folder (model.mil) or an .mlpackage (Manifest.json)"
        case .invalidManifest(let file, let problem):
            return "\(file): invalid Manifest.json: \(problem); \(advice)"
        case .invalidMetadata(let file, let problem):
            return "\(file): invalid metadata.json: \(problem); \(advice)"
        case .invalidProtobuf(let file, let problem):
            return "\(file): \(problem); \(advice)"
        case .milSyntax(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): MIL syntax error: \(problem); \(advice)"
        case .noProgram(let file):
            return "\(file) holds no ML program (only ML programs are supported: neural-network models predate them)"
        case .weightFileHeader(let file, let problem):
            return "\(file): bad weight.bin header: \(problem); \(advice)"
        case .blobRecord(let file, let weight, let offset, let problem):
            return "\(file): weight \(weight), blob record at offset \(offset): \(problem); \(advice)"
        case .recordChain(let file, let index, let count, let offset, let problem):
            return "\(file): record \(index) of the \(count) the header announces, at offset \(offset): \(problem); \(advice)"
        case .unresolvedWeightPath(let weight, let path, let model):
            return "\(model): weight \(weight) refers to \(path), which is not inside the model's folder; \(advice)"
        }
    }
}
