import DepotRunner
import Foundation

/// Times each convolution algorithm on the 3x3 stride-1 shapes of an SD 1.5 UNet pass (batch 2,
/// 32x32 latent), kernel transform included: the figures behind ConvolutionAlgorithm.preferred.
/// Each figure is the best of `runs` (after a warm-up): on a shared machine the fastest run is
/// the one least disturbed by neighbours.
struct ConvolutionBenchmark {
    let runs: Int

    /// (input channels, output channels, side)
    static let shapes = [(320, 320, 32), (960, 320, 32), (320, 640, 16), (640, 640, 16), (1920, 640, 16),
                         (640, 1280, 8), (1280, 1280, 8), (2560, 1280, 8), (1280, 1280, 4), (2560, 1280, 4)]

    func run(only: String? = nil) {
        print("OpenBLAS kernels: \(BLASRuntime.coreName)")
        _ = AllocationPolicy.applied  // as a model load does
        var random = SplitMix(seed: 7)
        for (channels, outChannels, side) in Self.shapes where only == nil || only == "\(channels)x\(side)" {
            let x = Tensor(shape: [2, channels, side, side], data: (0..<(2 * channels * side * side)).map { _ in random.unit() - 0.5 })
            let weight = Tensor(shape: [outChannels, channels, 3, 3], data: (0..<(outChannels * channels * 9)).map { _ in random.unit() - 0.5 })
            let gflop = 2 * Double(outChannels * channels * 9 * 2 * side * side) / 1e9
            let ceiling = 2 * pow(2048, 3) / MatrixMultiplyProbe.sgemmSeconds(size: 2048, runs: 1) / 1e9
            var line = String(format: "%4d -> %4d @ %2dx%-2d (ceiling %5.1f):", channels, outChannels, side, side, ceiling)
            for algorithm in ConvolutionAlgorithm.allCases {
                var times: [Double] = [], cpuTimes: [Double] = []
                for _ in 0...runs {
                    let start = ContinuousClock.now, cpuStart = ProcessCPUTime.now()
                    _ = x.conv2d(weight: weight, bias: nil, padding: Padding2D(1), algorithm: algorithm)
                    let elapsed = ContinuousClock.now - start
                    times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
                    cpuTimes.append(ProcessCPUTime.now() - cpuStart)
                }
                let best = times.dropFirst().min()!, bestCPU = cpuTimes.dropFirst().min()!
                line += String(format: "  %@ %6.1f ms %6.1f GF/s (CPU %6.1f ms)", "\(algorithm)", best * 1e3, gflop / best, bestCPU * 1e3)
            }
            print(line)
        }
    }
}
