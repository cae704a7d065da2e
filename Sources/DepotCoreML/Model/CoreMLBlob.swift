/// A BLOBFILE-backed value of the program: a const's `val`, or a value written inline as an op argument
/// (newer programs pass constexpr inputs that way), with the weight.bin record it resolves to.
public struct CoreMLBlob: Sendable, Equatable {
    /// The const's output name; for inline values `<op name>_<input>_<index>`, as coremltools names them on load.
    public var name: String
    public var type: MILType
    public var reference: MILBlobReference
    /// The weight file, relative to the model folder ("weights/weight.bin").
    public var file: String
    public var record: WeightBlobRecord

    public var dataType: MILDataType { type.dataType ?? MILDataType(rawValue: record.dataType.milName) }
    public var shape: [Int] { type.knownShape ?? [] }
}
