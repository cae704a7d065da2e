import DepotFormats

/// Why a model folder could not be loaded or run.
public enum ModelLoadError: Error, Equatable, CustomStringConvertible {
    case missingFile(path: String)
    case invalidConfig(file: String, reason: String)
    case wrongType(file: String, key: String, expected: String, found: String)
    case unsupported(file: String, key: String, value: String)
    case noWeights(directory: String)
    case weightShape(file: String, tensor: String, expected: [Int], actual: [Int])
    case weightDType(file: String, tensor: String, dtype: String)
    case weights(SafetensorsError)
    case invalidInput(model: String, reason: String)

    public var description: String {
        switch self {
        case let .missingFile(path):
            return "\(path) does not exist. The model folder is incomplete: pull it again or point to a complete diffusers folder."
        case let .invalidConfig(file, reason):
            return "\(file) is not a valid config: \(reason). Pull the model again or fix the file."
        case let .wrongType(file, key, expected, found):
            return "\(file): '\(key)' should be \(expected) but is \(found). Fix the config or pull the model again."
        case let .unsupported(file, key, value):
            return "\(file): \(key) = \(value) is not supported by depot's CPU runner. Use a Stable Diffusion 1.x/2.x checkpoint in diffusers layout."
        case let .noWeights(directory):
            return "\(directory) has no .safetensors weights (depot's runner does not read .bin pickles). Pull the safetensors variant of the model."
        case let .weightShape(file, tensor, expected, actual):
            return "\(file): tensor '\(tensor)' has shape \(actual) but config.json implies \(expected). The weights do not match their config: pull the model again."
        case let .weightDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)' is \(dtype); the runner reads only F32, F16 and BF16 weights."
        case let .weights(error):
            return error.description
        case let .invalidInput(model, reason):
            return "\(model): \(reason)"
        }
    }
}

extension ModelLoadError: ConfigReadingError {
    public static func configUnreadable(file: String, missing: Bool, reason: String) -> ModelLoadError {
        missing ? .missingFile(path: file) : .invalidConfig(file: file, reason: reason)
    }
    public static func configWrongType(file: String, key: String, expected: String, found: String) -> ModelLoadError {
        .wrongType(file: file, key: key, expected: expected, found: found)
    }
    public static func configInvalid(file: String, key: String, reason: String) -> ModelLoadError {
        .invalidConfig(file: file, reason: "'\(key)' \(reason)")
    }
    public static func configUnsupported(file: String, key: String, value: String) -> ModelLoadError {
        .unsupported(file: file, key: key, value: value)
    }
}
