import DepotFormats
import Foundation
import Synchronization

/// A model's weight file seen through a name prefix ("down_blocks.0.resnets.1."). In manifest
/// mode it reads nothing and records every tensor a model asks for (names and shapes).
struct Weights: Sendable {
    enum Source: Sendable {
        case file(SafetensorsFile)
        case manifest(WeightManifest)
    }

    let source: Source
    let prefix: String

    init(file: SafetensorsFile, prefix: String = "") {
        source = .file(file)
        self.prefix = prefix
    }

    init(manifest: WeightManifest) {
        source = .manifest(manifest)
        prefix = ""
    }

    private init(source: Source, prefix: String) {
        self.source = source
        self.prefix = prefix
    }

    /// Opens the component's safetensors file in `directory` (the plain name, else a variant such as .fp16).
    init(directory: URL, baseName: String) throws(ModelLoadError) {
        _ = AllocationPolicy.applied
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

    func scoped(_ component: String) -> Weights { Weights(source: source, prefix: prefix + component + ".") }

    func has(_ name: String) -> Bool {
        switch source {
        case let .file(file): return file.contains(prefix + name)
        case .manifest: return true
        }
    }

    /// A reference to a float tensor whose shape is checked now and whose values are read on use.
    func tensor(_ name: String, shape: [Int]) throws(ModelLoadError) -> Weight {
        let fullName = prefix + name
        switch source {
        case let .manifest(manifest):
            manifest.record(name: fullName, shape: shape)
            return Weight(file: nil, name: fullName, shape: shape)
        case let .file(file):
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
}

/// The tensors a model built from a config expects, in the order it asked for them.
public final class WeightManifest: Sendable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
    }

    private let recorded = Mutex<[Entry]>([])

    public init() {}

    func record(name: String, shape: [Int]) {
        recorded.withLock { $0.append(Entry(name: name, shape: shape)) }
    }

    public var entries: [Entry] { recorded.withLock { $0 } }
}

/// One weight tensor, converted to float32 each time it is used so no float32 copy stays resident.
struct Weight: Sendable {
    let file: SafetensorsFile?
    let name: String
    let shape: [Int]

    private func source() throws -> SafetensorsFile {
        guard let file else { throw ModelLoadError.invalidInput(model: name, reason: "a weight manifest holds no values") }
        return file
    }

    func load() throws -> Tensor {
        Tensor(shape: shape, data: try source().floats(name))
    }

    func values() throws -> [Float] { try source().floats(name) }

    /// Entries `range` of the first dimension (e.g. some output channels of a kernel), converting only those.
    func slices(_ range: Range<Int>) throws -> [Float] {
        let size = shape.dropFirst().reduce(1, *)
        return try source().floats(name, elements: (range.lowerBound * size)..<(range.upperBound * size))
    }

    /// Runs `body` on the checkpoint's own float16 values (row-major, in the file's mapping) when
    /// the weight is stored as F16; returns nil, without calling `body`, for any other dtype.
    func withHalfPrecisionValues<Result>(_ body: (UnsafeRawPointer) throws -> Result) throws -> Result? {
        let file = try source()
        guard try file.tensor(name).dtype == .f16 else { return nil }
        return try file.withRawBytes(of: name) { bytes in try body(bytes.baseAddress!) }
    }

    /// Row `index` of a 2-D weight (an embedding lookup) without converting the rest.
    func row(_ index: Int) throws -> [Float] { try slices(index..<(index + 1)) }
}
