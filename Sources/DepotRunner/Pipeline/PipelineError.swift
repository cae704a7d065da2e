import Foundation

/// Why a generation could not start.
public enum PipelineError: Error, CustomStringConvertible, LocalizedError {
    case notAModelFolder(URL)
    case unsupportedScheduler(className: String, file: URL)
    case invalidSize(width: Int, height: Int, multiple: Int)
    case invalidGuidance(Double)
    case invalidOutput(reason: String)

    public var description: String {
        switch self {
        case .notAModelFolder(let url):
            return "\(url.path) is not a diffusers Stable Diffusion folder (no model_index.json, unet/, vae/, text_encoder/, tokenizer/, scheduler/); pass the folder of a pulled model"
        case .unsupportedScheduler(let className, let file):
            return "\(file.path) names \(className), which depot's runner does not implement; pass --scheduler pndm, ddim, euler or dpmpp"
        case .invalidSize(let width, let height, let multiple):
            return "image size \(width)x\(height) is not possible: width and height must be positive multiples of \(multiple)"
        case .invalidGuidance(let value):
            return "guidance scale \(value) is not a finite number"
        case .invalidOutput(let reason):
            return "the generation produced an unusable result: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
