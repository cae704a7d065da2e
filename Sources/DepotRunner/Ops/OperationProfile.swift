import Foundation
import Synchronization

/// Wall time per kind of operation during a UNet pass, for `depot-bench unet --profile`. Off by
/// default: a disabled profile costs one relaxed atomic load per layer call.
public enum OperationProfile {
    public enum Kind: String, CaseIterable, Sendable {
        case weightConversion = "weight conversion (fp16 -> fp32)"
        case winogradKernels = "Winograd kernel conversion + transform"
        case winogradConvolution = "3x3 convolution (Winograd)"
        case directConvolution = "convolution (im2col / 1x1)"
        case halfWeightConvolution = "convolution, float16 kernel"
        case linear = "linear layers"
        case halfWeightLinear = "linear layers, float16 kernel"
        case attention = "attention (QK, softmax, AV)"
        case normalization = "group / layer norm"
        case activation = "SiLU / GEGLU"
    }

    private static let isEnabled = Atomic<Bool>(false)
    /// Wall seconds and multiply-adds (as MatrixMultiplyCounter counts them) of one kind.
    public struct Total: Sendable {
        public var seconds = 0.0
        /// CPU seconds of the whole process (all threads): steadier than wall time on a busy machine.
        public var cpuSeconds = 0.0
        public var multiplyAdds = 0
        public init() {}
    }

    private static let totals = Mutex<[Kind: Total]>([:])

    public static func enable(_ enabled: Bool = true) { isEnabled.store(enabled, ordering: .relaxed) }

    public static func reset() { totals.withLock { $0 = [:] } }

    /// Time and work of each kind since the last reset.
    public static var totalsByKind: [Kind: Total] { totals.withLock { $0 } }

    /// Runs `body`, adding its wall time to `kind` when profiling is on. Measured spans never nest.
    @inline(__always)
    static func measure<T, Failure: Error>(_ kind: Kind, _ body: () throws(Failure) -> T) throws(Failure) -> T {
        guard isEnabled.load(ordering: .relaxed) else { return try body() }
        let start = ContinuousClock.now, startWork = MatrixMultiplyCounter.total, startCPU = processCPUSeconds()
        defer {
            let cpu = processCPUSeconds() - startCPU
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let work = MatrixMultiplyCounter.total - startWork
            totals.withLock {
                $0[kind, default: Total()].seconds += seconds
                $0[kind, default: Total()].cpuSeconds += cpu
                $0[kind, default: Total()].multiplyAdds += work
            }
        }
        return try body()
    }
}
