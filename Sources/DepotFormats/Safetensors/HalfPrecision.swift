import CHalfPrecision

/// Upcasts little-endian 16-bit floats to Float32: with F16C instructions when the CPU has them,
/// else with straight-line bit arithmetic that the optimiser vectorises.
enum HalfPrecision {
    static let hardwareAvailable = depot_half_hardware_available() != 0

    static func float16ToFloat(_ source: UnsafeRawBufferPointer, _ destination: UnsafeMutableBufferPointer<Float>) {
        let count = destination.count
        guard count > 0, let output = destination.baseAddress else { return }
        if hardwareAvailable {
            depot_half_to_float_hardware(source.baseAddress, output, count)
        } else {
            float16ToFloatPortable(source, destination)
        }
    }

    static func float16ToFloatPortable(_ source: UnsafeRawBufferPointer, _ destination: UnsafeMutableBufferPointer<Float>) {
        let count = destination.count
        guard count > 0, let output = destination.baseAddress else { return }
        for index in 0..<count {
            let bits = UInt32(source.loadUnaligned(fromByteOffset: 2 &* index, as: UInt16.self).littleEndian)
            let sign = (bits & 0x8000) << 16
            let magnitude = (bits & 0x7FFF) << 13
            // Scaling by 2^112 re-biases the exponent from 15 to 127 and normalises subnormals.
            let scaled = (Float(bitPattern: magnitude) * Float(bitPattern: 0x7780_0000)).bitPattern
            let value = magnitude >= 0x0F80_0000 ? (magnitude | 0x7F80_0000) : scaled
            output[index] = Float(bitPattern: value | sign)
        }
    }

    static func bfloat16ToFloat(_ source: UnsafeRawBufferPointer, _ destination: UnsafeMutableBufferPointer<Float>) {
        let count = destination.count
        guard count > 0, let output = destination.baseAddress else { return }
        for index in 0..<count {
            let bits = UInt32(source.loadUnaligned(fromByteOffset: 2 &* index, as: UInt16.self).littleEndian)
            output[index] = Float(bitPattern: bits << 16)
        }
    }
}
