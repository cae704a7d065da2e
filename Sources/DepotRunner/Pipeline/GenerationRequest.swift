/// What to generate. Unset values take diffusers' defaults for the model.
public struct GenerationRequest: Sendable {
    public var prompt: String
    public var negativePrompt: String = ""
    public var seed: UInt64
    public var steps: Int = 50
    public var guidanceScale: Double = 7.5
    /// nil: the checkpoint's own scheduler class.
    public var scheduler: SchedulerKind?
    /// nil: unet.sample_size x the VAE's downscale factor.
    public var width: Int?
    public var height: Int?

    public init(prompt: String, seed: UInt64) {
        self.prompt = prompt
        self.seed = seed
    }
}

/// The image (HxWx3, values in [0, 1]) and how long each phase took.
public struct GenerationResult: Sendable {
    public let image: Tensor
    public let schedulerClass: String
    public let timings: PhaseTimings

    public var width: Int { image.shape[1] }
    public var height: Int { image.shape[0] }

    public var rgbImage: RGBImage {
        RGBImage(width: width, height: height, unitFloats: image.data)
    }
}

/// Seconds spent in each phase of a generation.
public struct PhaseTimings: Sendable {
    public var text: Double = 0
    public var denoise: Double = 0
    public var decode: Double = 0
}
