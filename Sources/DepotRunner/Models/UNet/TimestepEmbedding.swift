import Foundation

/// Sinusoidal timestep features as diffusers' get_timestep_embedding computes them, in float32:
/// frequency i = exp(-ln(10000) · i / (half - shift)); [sin, cos] (or [cos, sin] when flipped).
func sinusoidalTimestepFeatures(_ timesteps: [Float], dimension: Int, flipSinToCos: Bool, freqShift: Float) -> Tensor {
    let half = dimension / 2
    let logPeriod = Float(-log(10000.0))
    let frequencies = (0..<half).map { exp(logPeriod * Float($0) / (Float(half) - freqShift)) }
    var data: [Float] = []
    data.reserveCapacity(timesteps.count * dimension)
    for t in timesteps {
        let angles = frequencies.map { t * $0 }
        let sines = angles.map { sin($0) }, cosines = angles.map { cos($0) }
        data += flipSinToCos ? cosines + sines : sines + cosines
        if dimension % 2 == 1 { data.append(0) }
    }
    return Tensor(shape: [timesteps.count, dimension], data: data)
}
