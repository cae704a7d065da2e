import DepotFormats
import DepotTestSupport
import Foundation

/// A writable copy of a fixture model with helpers to damage it in one precise way.
struct ModelCopy {
    let temporary: TemporaryDirectory
    let root: URL

    init(_ fixture: String) throws {
        temporary = try TemporaryDirectory("depot-inspect-copy")
        root = temporary.path(fixture)
        try FileManager.default.copyItem(at: TestEnvironment.fixture(fixture), to: root)
    }

    func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// Rewrites a safetensors file keeping every tensor's bytes; `change` edits the entry list
    /// (drop a tensor, change a shape — the data is cut or zero-padded to fit).
    func rewrite(_ relative: String, to target: String? = nil, _ change: (inout [SafetensorsWriter.Entry]) -> Void) throws {
        let source = try SafetensorsFile(url: url(relative))
        var entries = source.tensors.map { SafetensorsWriter.Entry(name: $0.name, dtype: $0.dtype, shape: $0.shape) }
        change(&entries)
        let output = url(target ?? relative).appendingPathExtension("tmp")
        try SafetensorsWriter.write(to: output, metadata: source.metadata, entries: entries) { index, buffer in
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            let name = entries[index].name
            guard source.contains(name) else { return }
            try source.withRawBytes(of: name) { bytes in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(buffer.count)))
            }
        }
        let final = url(target ?? relative)
        _ = try? FileManager.default.removeItem(at: final)
        try FileManager.default.moveItem(at: output, to: final)
    }

    /// Sets one top-level key of a JSON file.
    func setJSON(_ relative: String, key: String, to value: Any) throws {
        var object = try require_json(url(relative))
        object[key] = value
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: url(relative))
    }

    func remove(_ relative: String) throws { try FileManager.default.removeItem(at: url(relative)) }

    func move(_ relative: String, to target: String) throws { try FileManager.default.moveItem(at: url(relative), to: url(target)) }
}

private func require_json(_ url: URL) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
        throw CocoaError(.fileReadCorruptFile)
    }
    return object
}
