/// What the components of one pipeline must agree on: the UNet's cross-attention width and the
/// text encoders, the UNet's input channels and the VAE's latents, SDXL's time-id projection.
struct CrossComponentCheck {
    var findings: [Finding] = []

    init(index: ModelIndex, components: [ComponentCheck]) {
        func config(_ name: String) -> ComponentConfig? { components.first { $0.name == name }?.config }
        guard let unet = config("unet") else { return }
        let encoders = ["text_encoder", "text_encoder_2"].filter { index.component($0) != nil }
        let widths = encoders.compactMap { name in config(name).flatMap { try? $0.int("hidden_size", default: 512) }.map { (name, $0) } }
        if widths.count == encoders.count, !widths.isEmpty {
            let total = widths.reduce(0) { $0 + $1.1 }
            // With encoder_hid_proj the UNet projects the text width itself.
            let key = unet.has("encoder_hid_dim") ? "encoder_hid_dim" : "cross_attention_dim"
            let declared = key == "encoder_hid_dim" ? (try? unet.optionalInt(key)).flatMap { $0 } : (try? unet.intPerBlock(key, default: 1280, blocks: 1))?.first
            let sources = widths.map { "\($0.0) hidden_size \($0.1)" }.joined(separator: " + ")
            if let declared, declared != total {
                findings.append(Finding(file: "unet/config.json", subject: key, expected: "\(total) (\(sources))", found: "\(declared)",
                                        message: "the UNet's cross-attention width does not match the text encoder output"))
            }
        }
        if let vae = config("vae"), let latent = try? vae.int("latent_channels", default: 4) {
            let pipeline = index.pipelineClass ?? ""
            let (expectedInput, why) = pipeline.contains("Inpaint") ? (2 * latent + 1, "inpainting: latents + masked-image latents + mask")
                : pipeline.contains("InstructPix2Pix") ? (2 * latent, "latents + image latents") : (latent, "the VAE's latent_channels")
            if let input = try? unet.int("in_channels", default: 4), input != expectedInput {
                findings.append(Finding(file: "unet/config.json", subject: "in_channels", expected: "\(expectedInput) (\(why), vae latent_channels \(latent))",
                                        found: "\(input)", message: "the UNet's input does not match the VAE's latents for \(pipeline.isEmpty ? "this pipeline" : pipeline)"))
            }
            if let output = try? unet.int("out_channels", default: 4), output != latent {
                findings.append(Finding(file: "unet/config.json", subject: "out_channels", expected: "\(latent) (vae latent_channels)",
                                        found: "\(output)", message: "the UNet's output does not match the VAE's latents"))
            }
        }
        if (try? unet.string("addition_embed_type")) == "text_time", let encoder = config("text_encoder_2") {
            checkTimeIDs(unet: unet, pooledWidth: (try? encoder.int("projection_dim", default: 512)) ?? 512, refiner: index.requiresAestheticsScore)
        }
    }

    /// SDXL concatenates the pooled text embedding with 6 time ids (5 for the refiner), each
    /// embedded in addition_time_embed_dim channels.
    private mutating func checkTimeIDs(unet: ComponentConfig, pooledWidth: Int, refiner: Bool) {
        guard let timeWidth = (try? unet.optionalInt("addition_time_embed_dim")).flatMap({ $0 }),
              let declared = (try? unet.optionalInt("projection_class_embeddings_input_dim")).flatMap({ $0 }) else { return }
        let ids = refiner ? 5 : 6
        let expected = ids * timeWidth + pooledWidth
        if declared != expected {
            findings.append(Finding(file: "unet/config.json", subject: "projection_class_embeddings_input_dim",
                                    expected: "\(expected) (\(ids) time ids x \(timeWidth) + text_encoder_2 projection_dim \(pooledWidth))",
                                    found: "\(declared)", message: "the UNet's added-condition width does not match the text encoder and time ids"))
        }
    }
}
