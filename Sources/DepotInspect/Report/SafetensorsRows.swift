import DepotFormats

/// Report rows and blobs for opened safetensors weights.
enum SafetensorsRows {
    /// One row per tensor, names prefixed with `prefix` ("unet/"), in file and data order.
    static func weights(_ loaded: LoadedWeights, prefix: String, statistics: StatisticsPolicy) -> [WeightSummary] {
        loaded.files.flatMap { entry in
            entry.file.tensors.map { tensor in
                var row = WeightSummary(name: prefix + tensor.name, dtype: tensor.dtype.rawValue, shape: tensor.shape, bytes: tensor.dataOffsets.count)
                if statistics.includes(elements: tensor.elementCount),
                   let element = tensor.dtype.storedElement,
                   let result = try? entry.file.withRawBytes(of: tensor.name, { ValueStatistics(stored: $0, as: element, count: tensor.elementCount) }) {
                    row.uniqueValues = result.uniqueValues
                    row.sparsity = result.sparsity
                }
                return row
            }
        }
    }

    static func blobs(_ loaded: LoadedWeights) -> [BlobSummary] {
        loaded.files.map { entry in
            let header = entry.file.header
            let dtypes = Set(header.tensors.map(\.dtype.rawValue))
            let bytes = header.tensors.last?.dataOffsets.upperBound ?? 0
            return BlobSummary(file: entry.path, offset: header.dataStart, bytes: bytes,
                               dtype: dtypes.count == 1 ? dtypes.first : nil, tensors: header.tensors.count)
        }
    }
}

/// Which weights get unique-value and sparsity statistics.
public struct StatisticsPolicy: Sendable, Equatable {
    /// nil computes them for every weight.
    public var elementLimit: Int?

    /// Weights up to this many elements get statistics by default; `--stats` lifts the limit.
    public static let defaultElementLimit = 1 << 18

    public static let `default` = StatisticsPolicy(elementLimit: defaultElementLimit)
    public static let all = StatisticsPolicy(elementLimit: nil)
    public static let none = StatisticsPolicy(elementLimit: 0)

    public init(elementLimit: Int?) { self.elementLimit = elementLimit }

    public func includes(elements: Int) -> Bool { elementLimit.map { elements <= $0 } ?? true }
}
