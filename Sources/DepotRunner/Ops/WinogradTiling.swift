/// The transform matrices of Winograd's minimal filtering F(m×m, 3×3) (Lavin & Gray, 2015): an
/// output tile of m×m is computed from an (m+2)×(m+2) input tile with (m+2)² multiplications per
/// input/output channel pair instead of 9m². Larger tiles save more work but amplify rounding, so
/// only m = 2 (exact coefficients) and m = 4 are offered.
struct WinogradTiling: Sendable, Equatable {
    /// m: output tile side.
    let outputTile: Int
    /// Bᵀ, α×α row-major (α = m + 2): input tile d -> Bᵀ d B.
    let inputTransform: [Float]
    /// G, α×3: kernel g -> G g Gᵀ.
    let kernelTransform: [Float]
    /// Aᵀ, m×α: product tile M -> Aᵀ M A.
    let outputTransform: [Float]

    /// α: input tile side, also the side of the transformed tiles.
    var inputTile: Int { outputTile + 2 }
    /// α², the number of independent matrix products.
    var points: Int { inputTile * inputTile }

    static let f2 = WinogradTiling(
        outputTile: 2,
        inputTransform: [1, 0, -1, 0,
                         0, 1, 1, 0,
                         0, -1, 1, 0,
                         0, 1, 0, -1],
        kernelTransform: [1, 0, 0,
                          0.5, 0.5, 0.5,
                          0.5, -0.5, 0.5,
                          0, 0, 1],
        outputTransform: [1, 1, 1, 0,
                          0, 1, -1, -1])

    static let f4 = WinogradTiling(
        outputTile: 4,
        inputTransform: [4, 0, -5, 0, 1, 0,
                         0, -4, -4, 1, 1, 0,
                         0, 4, -4, -1, 1, 0,
                         0, -2, -1, 2, 1, 0,
                         0, 2, -1, -2, 1, 0,
                         0, 4, 0, -5, 0, 1],
        kernelTransform: [1.0 / 4, 0, 0,
                          -1.0 / 6, -1.0 / 6, -1.0 / 6,
                          -1.0 / 6, 1.0 / 6, -1.0 / 6,
                          1.0 / 24, 1.0 / 12, 1.0 / 6,
                          1.0 / 24, -1.0 / 12, 1.0 / 6,
                          0, 0, 1],
        outputTransform: [1, 1, 1, 1, 1, 0,
                          0, 1, -1, 2, -2, 0,
                          0, 1, 1, 4, 4, 0,
                          0, 1, -1, 8, -8, 1])

    /// The non-zero entries of a row-major matrix as (row, column, value), so the transforms skip zeros.
    static func terms(_ matrix: [Float], columns: Int) -> [(row: Int, column: Int, value: Float)] {
        matrix.enumerated().compactMap { index, value in
            value == 0 ? nil : (index / columns, index % columns, value)
        }
    }
}
