/// Winograd's minimal filtering F(m×m, 3×3) (Lavin & Gray, 2015): an m×m output tile is computed
/// from an α×α input tile (α = m + 2) with α² multiplications per input/output channel pair instead
/// of 9m². Larger tiles save more work but amplify rounding, so only m = 2 and m = 4 are offered.
struct WinogradTiling: Sendable, Equatable {
    /// m: output tile side.
    let outputTile: Int

    static let f2 = WinogradTiling(outputTile: 2)
    static let f4 = WinogradTiling(outputTile: 4)

    /// α: input tile side, also the side of the transformed tiles.
    var inputTile: Int { outputTile + 2 }
    /// α², the number of independent matrix products.
    var points: Int { inputTile * inputTile }
}

/// Eight lanes: eight tiles side by side, or eight channels of a kernel.
typealias WinogradLanes = SIMD8<Float>

/// The 1-D transforms of one tiling written out (the matrices are mostly small integers and
/// zeros), on eight lanes at a time; the 2-D transforms apply them to rows, then to columns.
/// Each reads its inputs at x[0], x[s], x[2s]... and writes y[0], y[t], y[2t]...
protocol WinogradTransforms {
    static var outputTile: Int { get }
    /// Bᵀx: α -> α.
    static func input(_ x: UnsafePointer<WinogradLanes>, _ s: Int, _ y: UnsafeMutablePointer<WinogradLanes>, _ t: Int)
    /// G g: 3 -> α.
    static func kernel(_ g: UnsafePointer<WinogradLanes>, _ s: Int, _ y: UnsafeMutablePointer<WinogradLanes>, _ t: Int)
    /// Aᵀx: α -> m.
    static func output(_ x: UnsafePointer<WinogradLanes>, _ s: Int, _ y: UnsafeMutablePointer<WinogradLanes>, _ t: Int)
}

/// F(2, 3): Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1],
/// Aᵀ = [1 1 1 0; 0 1 -1 -1].
enum WinogradF2: WinogradTransforms {
    static let outputTile = 2

    @inline(__always)
    static func input(_ x: UnsafePointer<WinogradLanes>, _ s: Int, _ y: UnsafeMutablePointer<WinogradLanes>, _ t: Int) {
        let (x0, x1, x2, x3) = (x[0], x[s], x[2 * s], x[3 * s])
        y[0] = x0 - x2
        y[t] = x1 + x2
        y[2 * t] = x2 - x1
        y[3 * t] = x1 - x3
    }

    @inline(__always)
    static func kernel(_ g: UnsafePointer<WinogradLanes>, _ s: Int, _ y: UnsafeMutablePointer<WinogradLanes>, _ t: Int) {
        let (g0, g1, g2) = (g[0], g[s], g[2 * s])
        let outer = 0.5 * (g0 + g2), middle = 0.5 * g1
        y[0] = g0
        y[t] = outer + middle
        y[2 * t] = outer - middle
        y[3 * t] = g2
    }

    @inline(__always)
    static func output(_ x: UnsafePointer<WinogradLanes>, _ s: Int, _ y: UnsafeMutablePointer<WinogradLanes>, _ t: Int) {
        let (x0, x1, x2, x3) = (x[0], x[s], x[2 * s], x[3 * s])
        y[0] = x0 + x1 + x2
        y[t] = x1 - x2 - x3
    }
}

/// F(4, 3): Bᵀ = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0;
/// 0 4 0 -5 0 1], G = [¼ 0 0; -⅙ -⅙ -⅙; -⅙ ⅙ -⅙; 1/24 1/12 ⅙; 1/24 -1/12 ⅙; 0 0 1],
/// Aᵀ = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1].
enum WinogradF4: WinogradTransforms {
    static let outputTile = 4

    @inline(__always)
    static func input(_ x: UnsafePointer<WinogradLanes>, _ s: Int, _ y: UnsafeMutablePointer<WinogradLanes>, _ t: Int) {
        let (x0, x1, x2, x3, x4, x5) = (x[0], x[s], x[2 * s], x[3 * s], x[4 * s], x[5 * s])
        let a = x4 - 4 * x2, b = x3 - 4 * x1, c = x4 - x2, d = 2 * (x3 - x1)
        y[0] = 4 * x0 - 5 * x2 + x4
        y[t] = a + b
        y[2 * t] = a - b
        y[3 * t] = c + d
        y[4 * t] = c - d
        y[5 * t] = 4 * x1 - 5 * x3 + x5
    }

    @inline(__always)
    static func kernel(_ g: UnsafePointer<WinogradLanes>, _ s: Int, _ y: UnsafeMutablePointer<WinogradLanes>, _ t: Int) {
        let (g0, g1, g2) = (g[0], g[s], g[2 * s])
        let a = (-1.0 / 6) * (g0 + g2), b = (-1.0 / 6) * g1
        let c = (1.0 / 24) * g0 + (1.0 / 6) * g2, d = (1.0 / 12) * g1
        y[0] = 0.25 * g0
        y[t] = a + b
        y[2 * t] = a - b
        y[3 * t] = c + d
        y[4 * t] = c - d
        y[5 * t] = g2
    }

    @inline(__always)
    static func output(_ x: UnsafePointer<WinogradLanes>, _ s: Int, _ y: UnsafeMutablePointer<WinogradLanes>, _ t: Int) {
        let (x0, x1, x2, x3, x4, x5) = (x[0], x[s], x[2 * s], x[3 * s], x[4 * s], x[5 * s])
        let sum12 = x1 + x2, difference12 = x1 - x2, sum34 = x3 + x4, difference34 = x3 - x4
        y[0] = x0 + sum12 + sum34
        y[t] = difference12 + 2 * difference34
        y[2 * t] = sum12 + 4 * sum34
        y[3 * t] = difference12 + 8 * difference34 + x5
    }
}
