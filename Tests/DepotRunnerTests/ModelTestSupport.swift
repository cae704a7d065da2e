import DepotFormats
import DepotRunner
import DepotTestSupport
import Foundation

/// The tiny fixture checkpoints and diffusers' reference outputs for them.
enum ModelFixtures {
    static var root: URL { TestEnvironment.fixtures }

    static func model(_ name: String) -> URL { root.appendingPathComponent(name) }

    static func reference(_ model: String) throws -> SafetensorsFile {
        let flavour = model.hasSuffix("sd1") ? "sd1" : "sd2"
        return try SafetensorsFile(url: root.appendingPathComponent("reference/reference-\(flavour)-public.safetensors"))
    }

    static func tensor(_ file: SafetensorsFile, _ name: String) throws -> Tensor {
        Tensor(shape: try file.tensor(name).shape, data: try file.floats(name))
    }

    /// max |a - b| / max |b|: the acceptance measure for matching diffusers.
    static func relativeError(_ got: Tensor, _ expected: Tensor) -> Float {
        precondition(got.shape == expected.shape, "shape \(got.shape) vs \(expected.shape)")
        let difference = zip(got.data, expected.data).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
        return difference / expected.maxAbs
    }
}
