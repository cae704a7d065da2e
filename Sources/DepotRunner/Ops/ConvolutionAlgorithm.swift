/// How a 2-D convolution is computed. Every choice gives the same result up to float rounding.
public enum ConvolutionAlgorithm: Sendable, Equatable, CaseIterable {
    /// im2col (skipped for 1x1) + one sgemm.
    case direct
    /// Winograd F(2x2, 3x3): 2.25x fewer multiplications, for 3x3 stride-1 kernels only.
    case winograd2
    /// Winograd F(4x4, 3x3): 4x fewer multiplications, for 3x3 stride-1 kernels only.
    case winograd4

    var tiling: WinogradTiling? {
        switch self {
        case .direct: return nil
        case .winograd2: return .f2
        case .winograd4: return .f4
        }
    }

    func isApplicable(to geometry: ConvolutionGeometry) -> Bool {
        tiling == nil || (geometry.kernelH == 3 && geometry.kernelW == 3 && geometry.stride == 1)
    }

    /// The fastest algorithm for a geometry. Winograd pays for its transforms only when there
    /// are enough tiles per product: with fewer, the products are too narrow and transforming
    /// the kernel costs more than it saves. `depot-bench conv` (CPU time, SD 1.5 shapes): F(4x4)
    /// at 128 tiles halves the time of the direct convolution, F(2x2) at 128 tiles saves 5-20%,
    /// fewer tiles lose.
    static func preferred(for geometry: ConvolutionGeometry) -> ConvolutionAlgorithm {
        guard geometry.kernelH == 3 && geometry.kernelW == 3 && geometry.stride == 1,
              geometry.channels >= 16 && geometry.outChannels >= 16 else { return .direct }
        let tiles = { (m: Int) in geometry.batch * ((geometry.outH + m - 1) / m) * ((geometry.outW + m - 1) / m) }
        if tiles(4) >= 128 { return .winograd4 }
        return tiles(2) >= 128 ? .winograd2 : .direct
    }
}
