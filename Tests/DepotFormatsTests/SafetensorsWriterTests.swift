import Foundation
import Testing
@testable import DepotFormats

@Suite struct SafetensorsWriterTests {
    @Test func writtenFileReadsBackThroughTheValidatingReader() throws {
        let files = try SafetensorsTestFiles()
        let url = files.directory.appendingPathComponent("written.safetensors")
        try SafetensorsWriter.write(to: url, metadata: ["format": "pt", "quote\"d": "line\nbreak"], float32: [
            (name: "b", shape: [2, 2], values: [1, 2, 3, 4]),
            (name: "a.weight", shape: [3], values: [-1, 0.5, 7]),
        ])
        let file = try SafetensorsFile(url: url)
        #expect(file.metadata == ["format": "pt", "quote\"d": "line\nbreak"])
        #expect(file.tensors.map(\.name) == ["b", "a.weight"])
        #expect(try file.floats("a.weight") == [-1, 0.5, 7])
        #expect(file.header.dataStart % 8 == 0)
    }

    @Test func streamsHalfPrecisionEntries() throws {
        let files = try SafetensorsTestFiles()
        let url = files.directory.appendingPathComponent("half.safetensors")
        try SafetensorsWriter.write(to: url, entries: [.init(name: "h", dtype: .f16, shape: [3])]) { _, buffer in
            let halves: [UInt16] = [0x3C00, 0xB800, 0x4200]  // 1, -0.5, 3
            halves.withUnsafeBytes { buffer.copyMemory(from: $0) }
        }
        #expect(try SafetensorsFile(url: url).floats("h") == [1, -0.5, 3])
    }
}
