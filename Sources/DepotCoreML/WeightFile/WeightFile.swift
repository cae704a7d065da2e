import Foundation

/// A memory-mapped weight.bin: its header, its blob records, and bounds-checked access to blob data.
/// Only the pages that are touched are read, so checking every record of a large file stays cheap.
/// Opening reads the header; `record(at:for:declared:)` checks one referenced record and
/// `walkRecords()` the chain of all records the header announces.
public struct WeightFile: Sendable {
    public static let headerSize = 64

    public let url: URL
    /// The blob count the header declares.
    public let declaredCount: Int
    public let version: UInt32
    private let bytes: Data

    public var size: Int { bytes.count }

    public init(url: URL) throws(CoreMLError) {
        self.url = url
        do {
            bytes = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw .cannotRead(file: url.path, reason: "\(error.localizedDescription)")
        }
        guard bytes.count >= Self.headerSize else {
            throw .weightFileHeader(file: url.path, problem: "the file is \(bytes.count) bytes, shorter than its 64-byte header")
        }
        let header = bytes.withUnsafeBytes { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian,
             raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian)
        }
        declaredCount = Int(header.0)
        version = header.1
        guard version == 2 else {
            throw .weightFileHeader(file: url.path, problem: "header version is \(version), expected 2")
        }
    }

    /// Every record, found by walking from the header: each starts at the 64-byte boundary after the previous blob's data.
    public func walkRecords() throws(CoreMLError) -> [WeightBlobRecord] {
        let count = declaredCount
        var records: [WeightBlobRecord] = []
        records.reserveCapacity(count)
        var offset = UInt64(Self.headerSize)
        for index in 0..<count {
            let record: WeightBlobRecord
            do throws(BlobProblem) {
                record = try Self.readRecord(bytes, at: offset)
            } catch {
                throw .recordChain(file: url.path, index: index + 1, count: count, offset: offset, problem: error)
            }
            records.append(record)
            let end = record.dataOffset + record.sizeInBytes
            offset = (end + 63) / 64 * 64
        }
        return records
    }

    /// Reads and checks the record at `offset`: sentinel, known dtype, data inside the file.
    static func readRecord(_ bytes: Data, at offset: UInt64) throws(BlobProblem) -> WeightBlobRecord {
        let fileSize = UInt64(bytes.count)
        guard offset % 64 == 0 else { throw .misaligned }
        guard offset < fileSize, fileSize - offset >= UInt64(WeightBlobRecord.size) else {
            throw .recordOutsideFile(fileSize: fileSize)
        }
        let (sentinel, code, size, dataOffset) = bytes.withUnsafeBytes { raw in
            let base = Int(offset)
            return (raw.loadUnaligned(fromByteOffset: base, as: UInt32.self).littleEndian,
                    raw.loadUnaligned(fromByteOffset: base + 4, as: UInt32.self).littleEndian,
                    raw.loadUnaligned(fromByteOffset: base + 8, as: UInt64.self).littleEndian,
                    raw.loadUnaligned(fromByteOffset: base + 16, as: UInt64.self).littleEndian)
        }
        guard sentinel == WeightBlobRecord.sentinel else { throw .badSentinel(found: sentinel) }
        guard let dataType = WeightBlobDataType(rawValue: code) else { throw .unknownDataType(code: code) }
        guard dataOffset <= fileSize, size <= fileSize - dataOffset else {
            throw .dataOutsideFile(dataOffset: dataOffset, size: size, fileSize: fileSize)
        }
        return WeightBlobRecord(offset: offset, dataType: dataType, sizeInBytes: size, dataOffset: dataOffset)
    }

    /// The record a BLOBFILE offset names, checked against the const's declared type.
    public func record(at offset: UInt64, for weight: String, declared type: MILType?) throws(CoreMLError) -> WeightBlobRecord {
        do throws(BlobProblem) {
            let record = try Self.readRecord(bytes, at: offset)
            guard let type else { return record }
            guard let dataType = type.dataType, let shape = type.knownShape else { throw BlobProblem.undeclaredShape }
            guard dataType.blobType == record.dataType else {
                throw BlobProblem.dataTypeMismatch(declared: dataType.rawValue, found: record.dataType.milName)
            }
            let elements = shape.reduce(1, *)
            let expected = UInt64(record.dataType.byteCount(elements: elements))
            guard record.sizeInBytes == expected else {
                throw BlobProblem.sizeMismatch(shape: shape, dataType: dataType.rawValue, expected: expected, found: record.sizeInBytes)
            }
            return record
        } catch {
            throw .blobRecord(file: url.path, weight: weight, offset: offset, problem: error)
        }
    }

    /// The blob's data bytes (valid while `body` runs).
    public func withData<Result>(of record: WeightBlobRecord, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBytes { raw in
            let start = Int(record.dataOffset)
            return try body(UnsafeRawBufferPointer(rebasing: raw[start..<start + Int(record.sizeInBytes)]))
        }
    }
}
