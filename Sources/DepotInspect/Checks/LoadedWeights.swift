import DepotFormats
import Foundation

/// A weight set opened and checked as safetensors: every file valid by the reference reader's
/// rules, and for sharded checkpoints the index and the shards consistent with each other.
public struct LoadedWeights: Sendable {
    public struct Located: Sendable {
        /// The file (relative to the model root) that holds the tensor.
        public var file: String
        public var tensor: SafetensorsTensor
    }

    public var set: WeightSet
    /// Every tensor found, by name (the first occurrence when a broken checkpoint stores one twice).
    public var tensors: [String: Located] = [:]
    public var files: [(path: String, file: SafetensorsFile)] = []
    public var findings: [Finding] = []

    /// `folder` is the component folder; `displayPrefix` is its path relative to the model root ("unet/").
    public init(_ set: WeightSet, folder: URL, displayPrefix: String) {
        self.set = set
        if let index = set.index {
            loadSharded(index: index, folder: folder, displayPrefix: displayPrefix)
        } else {
            for name in set.files { _ = open(name, folder: folder, displayPrefix: displayPrefix) }
        }
    }

    private mutating func open(_ name: String, folder: URL, displayPrefix: String) -> SafetensorsFile? {
        let path = displayPrefix + name
        do {
            let file = try SafetensorsFile(url: folder.appendingPathComponent(name))
            files.append((path, file))
            for tensor in file.tensors where tensors[tensor.name] == nil {
                tensors[tensor.name] = Located(file: path, tensor: tensor)
            }
            return file
        } catch {
            findings.append(Finding(file: path, message: Self.relativeMessage(error, fullPath: folder.appendingPathComponent(name).path, display: path)))
            return nil
        }
    }

    private mutating func loadSharded(index name: String, folder: URL, displayPrefix: String) {
        let indexPath = displayPrefix + name
        let index: SafetensorsIndex
        do {
            index = try SafetensorsIndex(url: folder.appendingPathComponent(name), file: indexPath)
        } catch {
            findings.append(Finding(file: indexPath, message: error.description))
            return
        }
        var shardFiles: [String: SafetensorsFile] = [:]
        for shard in index.shards {
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(shard).path) else {
                findings.append(Finding(file: displayPrefix + shard, subject: indexPath, expected: "the shard named by the index",
                                        found: "no such file", message: "a shard of the checkpoint is missing; pull the model again"))
                continue
            }
            if let file = open(shard, folder: folder, displayPrefix: displayPrefix) { shardFiles[shard] = file }
        }
        set.files = index.shards
        let mapped = Dictionary(index.weightMap.map { ($0.tensor, $0.shard) }, uniquingKeysWith: { first, _ in first })
        for (tensor, shard) in index.weightMap {
            guard let file = shardFiles[shard], !file.contains(tensor) else { continue }
            findings.append(Finding(file: displayPrefix + shard, subject: tensor, expected: "the tensor (weight_map in \(name) sends it here)",
                                    found: "no tensor of that name", message: "the index and the shard disagree; pull the model again"))
        }
        for (shard, file) in shardFiles.sorted(by: { $0.key < $1.key }) {
            for tensor in file.tensors {
                switch mapped[tensor.name] {
                case nil:
                    findings.append(Finding(file: displayPrefix + shard, subject: tensor.name, expected: "every stored tensor listed in \(name)",
                                            found: "a tensor the weight_map does not name", message: "the index is incomplete; pull the model again"))
                case let owner? where owner != shard:
                    findings.append(Finding(file: displayPrefix + shard, subject: tensor.name, expected: "only in \(owner)",
                                            found: "also stored here", message: "the tensor is stored in two shards; pull the model again"))
                default:
                    break
                }
            }
        }
        if let total = index.totalSize {
            let stored = shardFiles.values.reduce(0) { $0 + $1.tensors.reduce(0) { $0 + $1.dataOffsets.count } }
            if shardFiles.count == index.shards.count, stored != total {
                findings.append(Finding(.warning, file: indexPath, subject: "metadata.total_size", expected: "\(total) bytes",
                                        found: "\(stored) bytes of tensors in the shards", message: "the index's total size does not match its shards"))
            }
        }
    }

    /// Safetensors errors name the absolute path; findings name the path inside the model.
    static func relativeMessage(_ error: any Error, fullPath: String, display: String) -> String {
        String(describing: error).replacingOccurrences(of: fullPath, with: display)
    }
}
