/// One 64-byte blob record of a weight.bin: {u32 sentinel, u32 dtype, u64 sizeInBytes, u64 dataOffset, u64 paddingBits, reserved}.
public struct WeightBlobRecord: Sendable, Equatable {
    public static let sentinel: UInt32 = 0xDEAD_BEEF
    public static let size = 64

    /// Where the record starts (what a BLOBFILE offset names).
    public var offset: UInt64
    public var dataType: WeightBlobDataType
    public var sizeInBytes: UInt64
    public var dataOffset: UInt64
}
