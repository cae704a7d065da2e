import DepotFormats
import DepotRunner
import Foundation

/// Writes a random-weight float16 diffusers folder for an architecture given as config.json files:
/// every tensor the runner's models ask for, plus model_index.json, the scheduler and the tokenizer.
struct SyntheticCheckpoint {
    let configs: URL
    let tokenizer: URL
    let modelIndex: URL

    func write(to output: URL) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: output, withIntermediateDirectories: true)
        let components: [(folder: String, weights: String, manifest: (URL) throws -> [WeightManifest.Entry])] = [
            ("text_encoder", "model.safetensors", CLIPTextModel.expectedWeights),
            ("unet", "diffusion_pytorch_model.safetensors", UNet2DConditionModel.expectedWeights),
            ("vae", "diffusion_pytorch_model.safetensors", AutoencoderKL.expectedWeights),
        ]
        for (index, component) in components.enumerated() {
            let folder = output.appendingPathComponent(component.folder)
            try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            let config = configs.appendingPathComponent("\(component.folder)/config.json")
            try replace(folder.appendingPathComponent("config.json"), with: config)
            let entries = try component.manifest(config)
            var random = SplitMix(seed: UInt64(index + 1))
            try SafetensorsWriter.write(to: folder.appendingPathComponent(component.weights), metadata: ["format": "pt"],
                                        entries: entries.map { .init(name: $0.name, dtype: .f16, shape: $0.shape) }) { position, buffer in
                fill(buffer, for: entries[position], random: &random)
            }
            let parameters = entries.reduce(0) { $0 + $1.shape.reduce(1, *) }
            print("\(component.folder): \(entries.count) tensors, \(parameters) parameters")
        }
        let scheduler = output.appendingPathComponent("scheduler")
        try fileManager.createDirectory(at: scheduler, withIntermediateDirectories: true)
        try replace(scheduler.appendingPathComponent("scheduler_config.json"), with: configs.appendingPathComponent("scheduler/scheduler_config.json"))
        let tokenizerOut = output.appendingPathComponent("tokenizer")
        try fileManager.createDirectory(at: tokenizerOut, withIntermediateDirectories: true)
        for name in try fileManager.contentsOfDirectory(atPath: tokenizer.path) {
            try replace(tokenizerOut.appendingPathComponent(name), with: tokenizer.appendingPathComponent(name))
        }
        try replace(output.appendingPathComponent("model_index.json"), with: modelIndex)
    }

    private func replace(_ target: URL, with source: URL) throws {
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: source, to: target)
    }

    /// Norm scales are 1, biases small, other weights uniform in ±1/sqrt(fan-in), so activations
    /// stay in a realistic range through the whole network.
    private func fill(_ buffer: UnsafeMutableRawBufferPointer, for entry: WeightManifest.Entry, random: inout SplitMix) {
        let halves = buffer.bindMemory(to: UInt16.self)
        let isNormScale = entry.shape.count == 1 && entry.name.hasSuffix("weight")
        let isBias = entry.name.hasSuffix("bias")
        let fanIn = entry.shape.count > 1 ? entry.shape.dropFirst().reduce(1, *) : 1
        let bound = isBias ? 0.01 : 1 / Float(fanIn).squareRoot()
        for index in 0..<halves.count {
            let value: Float = isNormScale ? 1 : (random.unit() * 2 - 1) * bound
            halves[index] = Float16(value).bitPattern
        }
    }
}

/// A small fast generator (SplitMix64) for reproducible synthetic weights.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Float { Float(next() >> 40) / Float(1 << 24) }

    /// Standard normal by Box-Muller.
    mutating func normal() -> Float {
        let u = max(unit(), 1e-7), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
