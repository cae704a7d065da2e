import DepotFormats
import Foundation

/// A model's weight file seen through a name prefix ("down_blocks.0.resnets.1.").
struct Weights: Sendable {
    let file: SafetensorsFile
    let prefix: String

    init(file: SafetensorsFile, prefix: String = "") {
        self.file = file
        self.prefix = prefix
    }

    /// Opens the component's safetensors file in `directory` (the plain name, else a variant such as .fp16).
    init(directory: URL, baseName: String) throws(ModelLoadError) {
        let plain = directory.appendingPathComponent("\(baseName).safetensors")
        var chosen = plain
        if !FileManager.default.fileExists(atPath: plain.path) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            guard let variant = names.filter({ $0.hasPrefix(baseName + ".") && $0.hasSuffix(".safetensors") }).sorted().first else {
                throw .noWeights(directory: directory.path)
            }
            chosen = directory.appendingPathComponent(variant)
        }
        do {
            self.init(file: try SafetensorsFile(url: chosen))
        } catch {
            throw .weights(error)
        }
    }

    func scoped(_ component: String) -> Weights { Weights(file: file, prefix: prefix + component + ".") }

    func has(_ name: String) -> Bool { file.contains(prefix + name) }

    /// A reference to a float tensor whose shape is checked now and whose values are read on use.
    func tensor(_ name: String, shape: [Int]) throws(ModelLoadError) -> Weight {
        let fullName = prefix + name
        let info: SafetensorsTensor
        do {
            info = try file.tensor(fullName)
        } catch {
            throw .weights(error)
        }
        guard info.dtype.isReadableAsFloat else { throw .weightDType(file: file.url.path, tensor: fullName, dtype: info.dtype.rawValue) }
        guard info.shape == shape else { throw .weightShape(file: file.url.path, tensor: fullName, expected: shape, actual: info.shape) }
        return Weight(file: file, name: fullName, shape: shape)
    }
}

/// One weight tensor, converted to float32 each time it is used so no float32 copy stays resident.
struct Weight: Sendable {
    let file: SafetensorsFile
    let name: String
    let shape: [Int]

    func load() throws -> Tensor {
        Tensor(shape: shape, data: try file.floats(name))
    }

    func values() throws -> [Float] { try file.floats(name) }

    /// Row `index` of a 2-D weight (an embedding lookup) without converting the rest.
    func row(_ index: Int) throws -> [Float] {
        let width = shape[1]
        return try file.floats(name, elements: (index * width)..<((index + 1) * width))
    }
}
