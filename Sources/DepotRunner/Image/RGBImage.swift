/// An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 3, "RGBImage: \(pixels.count) bytes for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// From floats in [0, 1], HxWx3, the way diffusers turns its output into a PIL image:
    /// `(x * 255).round()` (halves to even) after clamping.
    public init(width: Int, height: Int, unitFloats: [Float]) {
        let bytes = unitFloats.map { value -> UInt8 in
            let scaled = (min(max(value.isNaN ? 0 : value, 0), 1) * 255).rounded(.toNearestOrEven)
            return UInt8(scaled)
        }
        self.init(width: width, height: height, pixels: bytes)
    }
}
