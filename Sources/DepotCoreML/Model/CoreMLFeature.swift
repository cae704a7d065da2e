/// A model input or output as Core ML describes it.
public struct CoreMLFeature: Sendable, Equatable {
    public var name: String
    /// "MultiArray", "Image", "Int64", "Double", "String", "Dictionary", "Sequence" or "State".
    public var kind: String
    /// The multi-array element type in Core ML's spelling ("Float32", "Float16", "Int32", "Double"); nil for other kinds.
    public var dataType: String?
    public var shape: [Int]

    public init(name: String, kind: String = "MultiArray", dataType: String?, shape: [Int]) {
        self.name = name
        self.kind = kind
        self.dataType = dataType
        self.shape = shape
    }
}
