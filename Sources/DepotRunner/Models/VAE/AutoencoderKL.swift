import Foundation

/// diffusers' AutoencoderKL: image ↔ latents. The encoder is optional (decoder-only files load).
public final class AutoencoderKL: Sendable {
    public let config: VAEConfig
    private let postQuantConv: Conv2dLayer?
    private let decoder: VAEDecoder
    private let quantConv: Conv2dLayer?
    private let encoder: VAEEncoder?

    /// `directory` is the vae/ folder (config.json + diffusion_pytorch_model.safetensors).
    public convenience init(directory: URL) throws {
        try self.init(config: ConfigFile(url: directory.appendingPathComponent("config.json")),
                      weights: Weights(directory: directory, baseName: "diffusion_pytorch_model"))
    }

    /// The tensors (names, shapes) a checkpoint needs for the given config.json.
    public static func expectedWeights(config: URL) throws -> [WeightManifest.Entry] {
        let manifest = WeightManifest()
        _ = try AutoencoderKL(config: ConfigFile(url: config), weights: Weights(manifest: manifest))
        return manifest.entries
    }

    init(config file: ConfigFile, weights: Weights) throws(ModelLoadError) {
        config = try VAEConfig(file)
        postQuantConv = config.usesPostQuantConv
            ? try Conv2dLayer(weights, "post_quant_conv", in: config.latentChannels, out: config.latentChannels, kernel: 1)
            : nil
        decoder = try VAEDecoder(weights.scoped("decoder"), config: config)
        if weights.has("encoder.conv_in.weight") {
            encoder = try VAEEncoder(weights.scoped("encoder"), config: config)
            let moments = 2 * config.latentChannels
            quantConv = config.usesQuantConv ? try Conv2dLayer(weights, "quant_conv", in: moments, out: moments, kernel: 1) : nil
        } else {
            encoder = nil
            quantConv = nil
        }
    }

    /// Encodes an image [B, in_channels, H, W] in [-1, 1] to the latent distribution
    /// (latents before multiplying by scaling_factor).
    public func encode(_ image: Tensor) throws -> LatentDistribution {
        guard let encoder else {
            throw ModelLoadError.invalidInput(model: "AutoencoderKL", reason: "this VAE has no encoder weights; image-to-image needs a full AutoencoderKL")
        }
        guard image.shape.count == 4, image.shape[1] == config.inChannels,
              image.shape[2] % downscaleFactor == 0, image.shape[3] % downscaleFactor == 0 else {
            throw ModelLoadError.invalidInput(model: "AutoencoderKL",
                reason: "images must be [B, \(config.inChannels), H, W] with H and W multiples of \(downscaleFactor), got \(image.shape)")
        }
        let moments = try encoder(image)
        return LatentDistribution(moments: try quantConv?(moments) ?? moments)
    }

    /// Pixel size of one latent cell: 2^(len(block_out_channels) - 1).
    public var downscaleFactor: Int { 1 << (config.blockOutChannels.count - 1) }

    /// Decodes latents [B, latent_channels, h, w] that are already divided by scaling_factor;
    /// returns the raw decoder output [B, out_channels, h·f, w·f] (about ±1, not clamped).
    public func decode(_ z: Tensor) throws -> Tensor {
        guard z.shape.count == 4, z.shape[1] == config.latentChannels else {
            throw ModelLoadError.invalidInput(model: "AutoencoderKL", reason: "latents must be [B, \(config.latentChannels), H, W], got \(z.shape)")
        }
        let latents = try postQuantConv?(z) ?? z
        return try decoder(latents)
    }
}
