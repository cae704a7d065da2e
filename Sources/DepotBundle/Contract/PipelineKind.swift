/// Which of Apple's Stable Diffusion pipelines a resource folder is for. Apple's CLI does not
/// detect it: the user passes `--xl` or `--sd3`, so depot names it.
public enum PipelineKind: String, Sendable, Codable, CaseIterable {
    /// SD 1.x / 2.x: TextEncoder, Unet, VAEDecoder.
    case stableDiffusion = "sd"
    /// SDXL base (TextEncoder + TextEncoder2) or refiner-only (TextEncoder2 alone).
    case stableDiffusionXL = "sdxl"
    /// SD3: TextEncoder, TextEncoder2, MultiModalDiffusionTransformer.
    case stableDiffusion3 = "sd3"

    /// The flag Apple's StableDiffusionSample needs for this kind.
    public var sampleFlag: String? {
        switch self {
        case .stableDiffusion: nil
        case .stableDiffusionXL: "--xl"
        case .stableDiffusion3: "--sd3"
        }
    }

    /// The exact command that runs Apple's sample CLI on `folder`.
    public func sampleCommand(resourcePath folder: String) -> String {
        var words = ["swift", "run", "StableDiffusionSample", "\"a photo of a cat\"", "--resource-path", ShellQuote.word(folder)]
        if let sampleFlag { words.append(sampleFlag) }
        words += ["--compute-units", "cpuAndGPU"]
        return words.joined(separator: " ")
    }
}

/// Quoting a path for a command line shown to the user.
enum ShellQuote {
    static func word(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:@,".contains($0) }
        return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
