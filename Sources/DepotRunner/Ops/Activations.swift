import CRunnerKernels

/// Elementwise nonlinearities, by the names configs use.
public enum Activation: String, Sendable {
    case silu
    case gelu
    case quickGELU = "quick_gelu"

    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .silu: return x / (1 + FastMath.exp(-x))
        case .gelu: return 0.5 * x * (1 + FastMath.erf(x * 0.707_106_77))
        case .quickGELU: return x / (1 + FastMath.exp(-1.702 * x))
        }
    }
}

extension Tensor {
    public func applying(_ activation: Activation) -> Tensor {
        OperationProfile.measure(.activation) { applyingUnprofiled(activation) }
    }

    func applyingUnprofiled(_ activation: Activation, vectorised: Bool = VectorKernels.isAvailable) -> Tensor {
        Tensor.uninitialized(shape) { out in
            data.withUnsafeBufferPointer { x in
                Parallel.forRanges(count) { range in
                    if vectorised && activation == .silu {
                        depot_silu_avx512(x.baseAddress! + range.lowerBound, out.baseAddress! + range.lowerBound, range.count)
                        return
                    }
                    switch activation {
                    case .silu: for i in range { out[i] = Activation.silu(x[i]) }
                    case .gelu: for i in range { out[i] = Activation.gelu(x[i]) }
                    case .quickGELU: for i in range { out[i] = Activation.quickGELU(x[i]) }
                    }
                }
            }
        }
    }

    /// GEGLU: splits the last dimension into (value, gate) halves and returns value · GELU(gate).
    public func geglu() -> Tensor {
        OperationProfile.measure(.activation) { gegluUnprofiled() }
    }

    func gegluUnprofiled(vectorised: Bool = VectorKernels.isAvailable) -> Tensor {
        let width = shape.last!
        precondition(width % 2 == 0, "geglu needs an even last dimension, got \(width)")
        let half = width / 2
        let rows = count / width
        return Tensor.uninitialized(Array(shape.dropLast()) + [half]) { out in
            data.withUnsafeBufferPointer { x in
                Parallel.forRanges(rows, grain: max(1, (1 << 15) / width)) { range in
                    for row in range {
                        if vectorised {
                            depot_geglu_avx512(x.baseAddress! + row * width, x.baseAddress! + row * width + half,
                                               out.baseAddress! + row * half, half)
                            continue
                        }
                        for i in 0..<half {
                            out[row * half + i] = x[row * width + i] * Activation.gelu(x[row * width + half + i])
                        }
                    }
                }
            }
        }
    }
}
