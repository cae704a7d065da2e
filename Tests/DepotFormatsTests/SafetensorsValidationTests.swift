import Foundation
import Testing
@testable import DepotFormats

/// One hand-made file per rule of the reference reader, each expected to fail with its own error.
@Suite struct SafetensorsValidationTests {
    let files: SafetensorsTestFiles
    let eightBytes = [UInt8](repeating: 0, count: 8)

    init() throws { files = try SafetensorsTestFiles() }

    private func open(_ url: URL) throws { _ = try SafetensorsFile(url: url) }

    @Test func rejectsFileShorterThanLengthPrefix() throws {
        let url = try files.writeRaw([1, 2, 3])
        #expect(throws: SafetensorsError.tooShort(file: url.path, length: 3)) { try open(url) }
    }

    @Test func rejectsHeaderLengthOverLimit() throws {
        let url = try files.write(header: "{}", declaredLength: 100_000_001)
        #expect(throws: SafetensorsError.headerTooLarge(file: url.path, headerLength: 100_000_001)) { try open(url) }
    }

    @Test func acceptsEmptyHeaderObject() throws {
        let file = try SafetensorsFile(url: files.write(header: "{}"))
        #expect(file.tensors.isEmpty && file.metadata == nil)
    }

    @Test func rejectsHeaderLongerThanFile() throws {
        let url = try files.write(header: "{}", declaredLength: 50)
        #expect(throws: SafetensorsError.headerBeyondFile(file: url.path, headerLength: 50, fileLength: 10)) { try open(url) }
    }

    @Test func rejectsHeaderThatIsNotUTF8() throws {
        let url = try files.write(headerBytes: [UInt8(ascii: "{"), 0xFF, 0xFE, UInt8(ascii: "}")])
        #expect(throws: SafetensorsError.headerNotUTF8(file: url.path)) { try open(url) }
    }

    @Test func rejectsHeaderThatIsNotJSON() throws {
        let url = try files.write(header: #"{"a": {"dtype": "F32",}}"#)
        #expect { try open(url) } throws: { error in
            guard case .headerNotJSON(let file, _, _) = error as? SafetensorsError else { return false }
            return file == url.path
        }
    }

    @Test func rejectsHeaderThatIsNotAnObject() throws {
        let url = try files.write(header: "[]")
        #expect(throws: SafetensorsError.headerNotObject(file: url.path)) { try open(url) }
    }

    @Test func rejectsMetadataWithNonStringValues() throws {
        let url = try files.write(header: #"{"__metadata__":{"format":1}}"#)
        #expect(throws: SafetensorsError.invalidMetadata(file: url.path, reason: "value of 'format' is not a string")) { try open(url) }
    }

    @Test func rejectsUnknownDType() throws {
        let url = try files.write(header: #"{"w":{"dtype":"F12","shape":[2],"data_offsets":[0,8]}}"#, data: eightBytes)
        #expect(throws: SafetensorsError.unknownDType(file: url.path, tensor: "w", dtype: "F12")) { try open(url) }
    }

    @Test func rejectsByteSizeThatDoesNotMatchShape() throws {
        let url = try files.write(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: eightBytes)
        #expect(throws: SafetensorsError.byteSizeMismatch(file: url.path, tensor: "w", expected: 12, actual: 8)) { try open(url) }
    }

    @Test func rejectsNegativeShape() throws {
        let url = try files.write(header: #"{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: eightBytes)
        #expect(throws: SafetensorsError.invalidTensorEntry(file: url.path, tensor: "w", reason: "shape holds a value that is not a non-negative integer")) { try open(url) }
    }

    @Test func rejectsMissingField() throws {
        let url = try files.write(header: #"{"w":{"dtype":"F32","data_offsets":[0,8]}}"#, data: eightBytes)
        #expect(throws: SafetensorsError.invalidTensorEntry(file: url.path, tensor: "w", reason: "missing shape")) { try open(url) }
    }

    @Test func rejectsFirstTensorNotAtZero() throws {
        let url = try files.write(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: eightBytes)
        #expect(throws: SafetensorsError.notContiguous(file: url.path, tensor: "w", expectedStart: 0, actualStart: 4)) { try open(url) }
    }

    @Test func rejectsGapBetweenTensors() throws {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[2],"data_offsets":[6,8]}}"#
        let url = try files.write(header: header, data: eightBytes)
        #expect(throws: SafetensorsError.notContiguous(file: url.path, tensor: "b", expectedStart: 4, actualStart: 6)) { try open(url) }
    }

    @Test func rejectsOverlappingTensors() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        let url = try files.write(header: header, data: eightBytes)
        #expect(throws: SafetensorsError.notContiguous(file: url.path, tensor: "b", expectedStart: 8, actualStart: 4)) { try open(url) }
    }

    @Test func rejectsTruncatedData() throws {
        let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let url = try files.write(header: header, data: [0, 0, 0, 0])
        #expect(throws: SafetensorsError.fileLengthMismatch(file: url.path, expected: 16 + header.utf8.count, actual: 12 + header.utf8.count)) { try open(url) }
    }

    @Test func rejectsTrailingBytes() throws {
        let header = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let url = try files.write(header: header, data: eightBytes)
        #expect(throws: SafetensorsError.fileLengthMismatch(file: url.path, expected: 12 + header.utf8.count, actual: 16 + header.utf8.count)) { try open(url) }
    }

    @Test func rejectsDuplicateTensorNames() throws {
        let header = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        let url = try files.write(header: header, data: eightBytes)
        #expect(throws: SafetensorsError.duplicateTensor(file: url.path, tensor: "w")) { try open(url) }
    }

    @Test func errorMessagesNameFileTensorAndRemedy() throws {
        let error = SafetensorsError.byteSizeMismatch(file: "/m/unet.safetensors", tensor: "conv_in.weight", expected: 12, actual: 8)
        #expect(error.description.contains("/m/unet.safetensors") && error.description.contains("conv_in.weight"))
        #expect(error.description.contains("download it again"))
    }

    @Test func jsonParserDecodesEscapesAndSurrogates() throws {
        let parsed = try HeaderJSON.parse(Array(#" {"k\u00e9\ud83d\ude00":["a\n\"b", -1.5e3, true, null]} "#.utf8))
        #expect(parsed == .object([(key: "ké😀", value: .array([.string("a\n\"b"), .number("-1.5e3"), .bool(true), .null]))]))
    }

    @Test func rejectsShapeWhoseSizeOverflows() throws {
        let url = try files.write(header: #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, data: eightBytes)
        #expect(throws: SafetensorsError.invalidTensorEntry(file: url.path, tensor: "w", reason: "shape [4294967296, 4294967296] is too large")) { try open(url) }
    }

    @Test func rejectsOffsetsBeyondTheFile() throws {
        let header = #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
        let url = try files.write(header: header, data: eightBytes)
        #expect(throws: SafetensorsError.fileLengthMismatch(file: url.path, expected: 24 + header.utf8.count, actual: 16 + header.utf8.count)) { try open(url) }
    }

    @Test func rejectsOffsetsThatDoNotFitAnInteger() throws {
        let url = try files.write(header: #"{"w":{"dtype":"U8","shape":[0],"data_offsets":[0,99999999999999999999]}}"#, data: eightBytes)
        #expect(throws: SafetensorsError.invalidTensorEntry(file: url.path, tensor: "w", reason: "data_offsets must be two non-negative integers")) { try open(url) }
    }

    @Test func rejectsReversedOffsets() throws {
        let url = try files.write(header: #"{"w":{"dtype":"U8","shape":[0],"data_offsets":[8,0]}}"#, data: eightBytes)
        #expect(throws: SafetensorsError.invalidTensorEntry(file: url.path, tensor: "w", reason: "data_offsets end 0 is before start 8")) { try open(url) }
    }

    @Test func packedFourBitTensorsMustFillWholeBytes() throws {
        let odd = try files.write(header: #"{"w":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}"#, data: [0, 0], name: "odd.safetensors")
        #expect(throws: SafetensorsError.invalidTensorEntry(file: odd.path, tensor: "w", reason: "shape [3] of F4 does not fill whole bytes or is too large")) { try open(odd) }
        let even = try SafetensorsFile(url: files.write(header: #"{"w":{"dtype":"F4","shape":[2,2],"data_offsets":[0,2]}}"#, data: [0, 0], name: "even.safetensors"))
        #expect(try even.tensor("w").dataOffsets == 0..<2)
        let six = try SafetensorsFile(url: files.write(header: #"{"w":{"dtype":"F6_E3M2","shape":[4],"data_offsets":[0,3]}}"#, data: [0, 0, 0], name: "six.safetensors"))
        #expect(try six.tensor("w").dtype == .f6E3M2)
    }

    @Test func everyDTypeOfTheFormatIsKnown() {
        let names = SafetensorsDType.allCases.map(\.rawValue)
        #expect(Set(names) == ["BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ",
                               "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "C64", "F64", "I64", "U64"])
        #expect(SafetensorsDType.c64.byteCount(elements: 3) == 24 && SafetensorsDType.f4.byteCount(elements: 3) == nil)
    }
}
