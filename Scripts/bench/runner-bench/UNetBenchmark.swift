import DepotRunner
import Foundation

/// One UNet pass (batch 2, 32x32 latent) timed against the sgemm ceiling, then a text-encoder +
/// UNet + VAE-decode pass for peak memory. The ceiling is measured right before every UNet pass
/// and each pass is compared with its own ceiling, so a busy neighbour affects both alike. The
/// same ratio in CPU time (GFLOP per CPU-second, both threads counted) is printed as a diagnostic.
struct UNetBenchmark {
    let model: URL
    let runs: Int
    var unetOnly = false
    var profile = false
    static let ceilingSize = 2048

    func run() throws -> [String: Any] {
        print("OpenBLAS kernels: \(BLASRuntime.coreName)")
        let loadStart = ContinuousClock.now
        let unet = try UNet2DConditionModel(directory: model.appendingPathComponent("unet"))
        let loadSeconds = seconds(since: loadStart)
        var random = SplitMix(seed: 42)
        let sample = Tensor(shape: [2, unet.config.inChannels, 32, 32], data: (0..<(2 * unet.config.inChannels * 1024)).map { _ in random.normal() })
        let contextWidth = unet.config.crossAttentionDim.last!
        let context = Tensor(shape: [2, 77, contextWidth], data: (0..<(2 * 77 * contextWidth)).map { _ in random.normal() })

        var passes: [(seconds: Double, ceiling: Double, cpuRatio: Double)] = []
        var multiplyAdds = 0
        var finite = true
        OperationProfile.enable(profile)
        for run in 0...runs {
            let (ceiling, ceilingPerCPUSecond) = ceilingGFLOPS()
            MatrixMultiplyCounter.reset()
            OperationProfile.reset()
            let start = ContinuousClock.now, cpuStart = ProcessCPUTime.now()
            let output = try unet.predict(sample: sample, timestep: 500, encoderHiddenStates: context)
            let elapsed = seconds(since: start), cpuSeconds = ProcessCPUTime.now() - cpuStart
            multiplyAdds = MatrixMultiplyCounter.total
            finite = finite && output.data.allSatisfy(\.isFinite)
            let gflops = 2 * Double(multiplyAdds) / elapsed / 1e9
            let cpuRatio = 2 * Double(multiplyAdds) / cpuSeconds / 1e9 / ceilingPerCPUSecond
            print(String(format: "  pass %d%@: sgemm ceiling %.1f GFLOP/s, UNet %.3f s = %.1f GFLOP/s = %.1f%% (CPU time: %.2f s, %.1f%%)",
                         run, run == 0 ? " (warm-up, not counted)" : "", ceiling, elapsed, gflops, 100 * gflops / ceiling, cpuSeconds, 100 * cpuRatio))
            if run > 0 { passes.append((elapsed, ceiling, cpuRatio)) }
            if profile { printProfile(passSeconds: elapsed, ceiling: ceiling, ceilingPerCPUSecond: ceilingPerCPUSecond) }
        }
        let gflop = 2 * Double(multiplyAdds) / 1e9
        let ratios = passes.map { gflop / $0.seconds / $0.ceiling }
        let medianSeconds = median(passes.map(\.seconds)), medianCeiling = median(passes.map(\.ceiling))
        let medianRatio = median(ratios), medianCPURatio = median(passes.map(\.cpuRatio))
        print(String(format: "UNet batch 2, 32x32 (%.1f GFLOP = 2 x multiply-adds): median %.3f s, %.1f GFLOP/s; sgemm %d^3 ceiling median %.1f GFLOP/s; median same-moment ratio %.1f%% (median of %d); in CPU time %.1f%%",
                     gflop, medianSeconds, gflop / medianSeconds, Self.ceilingSize, medianCeiling, 100 * medianRatio, runs, 100 * medianCPURatio))
        var results: [String: Any] = [
            "openblas_core": BLASRuntime.coreName, "unet_gflop": gflop, "unet_runs_s": passes.map(\.seconds),
            "sgemm_ceiling_runs_gflops": passes.map(\.ceiling), "unet_median_s": medianSeconds,
            "sgemm_ceiling_median_gflops": medianCeiling, "fraction_of_ceiling_runs": ratios,
            "fraction_of_ceiling_median": medianRatio, "cpu_time_fraction_of_ceiling_runs": passes.map(\.cpuRatio),
            "cpu_time_fraction_of_ceiling_median": medianCPURatio, "unet_output_finite": finite, "unet_load_s": loadSeconds,
        ]
        if unetOnly { return results }

        // The rest of a 256x256 generation, for peak memory: text encoder and VAE decoder.
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
        results["vae_decode_s"] = decodeSeconds
        results["peak_rss_mb"] = peak
        return results
    }

    /// Where the pass's wall time went (the rest: additions, layout changes, concatenation, upsampling).
    /// Efficiency per kind in wall time and in CPU time (GFLOP per CPU-second against the ceiling's).
    private func printProfile(passSeconds: Double, ceiling: Double, ceilingPerCPUSecond: Double) {
        let totals = OperationProfile.totalsByKind
        for kind in OperationProfile.Kind.allCases {
            let total = totals[kind] ?? OperationProfile.Total()
            let gflop = 2 * Double(total.multiplyAdds) / 1e9
            let wallRatio = total.seconds > 0 ? gflop / total.seconds / ceiling : 0
            let cpuRatio = total.cpuSeconds > 0 ? gflop / total.cpuSeconds / ceilingPerCPUSecond : 0
            print(String(format: "      %-40@ %6.3f s %5.1f%% of the pass (CPU %6.3f s), %6.1f GFLOP = %5.1f%% of the ceiling (CPU time %5.1f%%)",
                         kind.rawValue, total.seconds, 100 * total.seconds / passSeconds, total.cpuSeconds, gflop, 100 * wallRatio, 100 * cpuRatio))
        }
        let rest = passSeconds - totals.values.reduce(0) { $0 + $1.seconds }
        print(String(format: "      %-40@ %6.3f s %5.1f%%", "other", rest, 100 * rest / passSeconds))
    }

    /// Wall-time GFLOP/s of one size³ sgemm, and GFLOP per CPU-second over its warm-up and timed run.
    private func ceilingGFLOPS() -> (wall: Double, perCPUSecond: Double) {
        let flop = 2 * pow(Double(Self.ceilingSize), 3)
        let cpuStart = ProcessCPUTime.now()
        let seconds = MatrixMultiplyProbe.sgemmSeconds(size: Self.ceilingSize, runs: 1)
        return (flop / seconds / 1e9, 2 * flop / (ProcessCPUTime.now() - cpuStart) / 1e9)
    }

    private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

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
