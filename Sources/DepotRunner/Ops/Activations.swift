import Foundation

/// Elementwise nonlinearities, by the names configs use.
public enum Activation: String, Sendable {
    case silu
    case gelu
    case quickGELU = "quick_gelu"

    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .silu: return x / (1 + exp(-x))
        case .gelu: return 0.5 * x * (1 + erf(x * Float(0.5.squareRoot())))
        case .quickGELU: return x / (1 + exp(-1.702 * x))
        }
    }
}

extension Tensor {
    public func applying(_ activation: Activation) -> Tensor {
        Tensor(shape: shape, data: data.map { activation($0) })
    }

    /// GEGLU: splits the last dimension into (value, gate) halves and returns value · GELU(gate).
    public func geglu() -> Tensor {
        let width = shape.last!
        precondition(width % 2 == 0, "geglu needs an even last dimension, got \(width)")
        let half = width / 2
        let rows = count / width
        return Tensor.uninitialized(Array(shape.dropLast()) + [half]) { out in
            data.withUnsafeBufferPointer { x in
                for row in 0..<rows {
                    for i in 0..<half {
                        out[row * half + i] = x[row * width + i] * Activation.gelu(x[row * width + half + i])
                    }
                }
            }
        }
    }
}
