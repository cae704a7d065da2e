import DepotRunner
import Foundation

/// One UNet pass (batch 2, 32x32 latent) timed against the sgemm ceiling of the same run, then a
/// text-encoder + UNet + VAE-decode pass for peak memory.
struct UNetBenchmark {
    let model: URL
    let runs: Int

    func run() throws -> [String: Any] {
        let ceilingSize = 2048
        let ceilingSeconds = MatrixMultiplyProbe.sgemmSeconds(size: ceilingSize, runs: runs)
        let ceiling = 2 * pow(Double(ceilingSize), 3) / ceilingSeconds / 1e9
        print(String(format: "sgemm %d^3: %.3f s, %.1f GFLOP/s (median of %d)", ceilingSize, ceilingSeconds, ceiling, runs))

        let loadStart = ContinuousClock.now
        let unet = try UNet2DConditionModel(directory: model.appendingPathComponent("unet"))
        let loadSeconds = seconds(since: loadStart)
        var random = SplitMix(seed: 42)
        let sample = Tensor(shape: [2, unet.config.inChannels, 32, 32], data: (0..<(2 * unet.config.inChannels * 1024)).map { _ in random.normal() })
        let contextWidth = unet.config.crossAttentionDim.last!
        let context = Tensor(shape: [2, 77, contextWidth], data: (0..<(2 * 77 * contextWidth)).map { _ in random.normal() })

        var times: [Double] = []
        var multiplyAdds = 0
        var finite = true
        for run in 0...runs {
            MatrixMultiplyCounter.reset()
            let start = ContinuousClock.now
            let output = try unet.predict(sample: sample, timestep: 500, encoderHiddenStates: context)
            let elapsed = seconds(since: start)
            multiplyAdds = MatrixMultiplyCounter.total
            finite = finite && output.data.allSatisfy(\.isFinite)
            print(String(format: "  UNet pass %d%@: %.3f s", run, run == 0 ? " (warm-up, pages in weights)" : "", elapsed))
            if run > 0 { times.append(elapsed) }
        }
        let median = times.sorted()[times.count / 2]
        let gflops = 2 * Double(multiplyAdds) / median / 1e9
        print(String(format: "UNet batch 2, 32x32: median %.3f s, %.1f GFLOP (2 x multiply-adds), %.1f GFLOP/s = %.1f%% of the sgemm ceiling",
                     median, 2 * Double(multiplyAdds) / 1e9, gflops, 100 * gflops / ceiling))

        // The rest of a 256x256 generation step, for peak memory: text encoder and VAE decoder.
        let textEncoder = try CLIPTextModel(directory: model.appendingPathComponent("text_encoder"))
        let ids = [49406] + Array(repeating: 320, count: 10) + Array(repeating: 49407, count: 66)
        _ = try textEncoder.encode(batch: [ids, ids])
        let vae = try AutoencoderKL(directory: model.appendingPathComponent("vae"))
        let decodeStart = ContinuousClock.now
        let image = try vae.decode(Tensor(shape: [1, 4, 32, 32], data: (0..<4096).map { _ in random.normal() }))
        let decodeSeconds = seconds(since: decodeStart)
        let peak = peakResidentMegabytes()
        print(String(format: "VAE decode 32x32 -> %dx%d: %.3f s; peak RSS (text encoder + UNet + VAE in one process): %.0f MB",
                     image.shape[2], image.shape[3], decodeSeconds, peak))
        return [
            "sgemm_ceiling_gflops": ceiling, "unet_median_s": median, "unet_runs_s": times,
            "unet_gflop": 2 * Double(multiplyAdds) / 1e9, "unet_gflops": gflops, "fraction_of_ceiling": gflops / ceiling,
            "unet_output_finite": finite, "unet_load_s": loadSeconds, "vae_decode_s": decodeSeconds, "peak_rss_mb": peak,
        ]
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    /// VmHWM from /proc/self/status, in MB.
    private func peakResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
        return kilobytes / 1024
    }
}
