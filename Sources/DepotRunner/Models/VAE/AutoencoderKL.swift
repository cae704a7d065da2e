import Foundation

/// diffusers' AutoencoderKL (decoder side): latents → image tensor.
public final class AutoencoderKL: Sendable {
    public let config: VAEConfig
    private let postQuantConv: Conv2dLayer?
    private let decoder: VAEDecoder

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
