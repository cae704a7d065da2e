import Foundation

/// What a partial file holds, written next to it as `<partial>.resume.json`.
///
/// A chunk's `done` is only raised after its bytes were written to the partial file, so the
/// sidecar never claims more than the file holds, whenever the process dies.
struct ResumeSidecar: Codable, Equatable, Sendable {
    struct Chunk: Codable, Equatable, Sendable {
        var start: Int64
        var length: Int64
        var done: Int64
        var isComplete: Bool { done == length }
    }

    var version = 1
    /// The expected hash (hex): a partial of another version of the file is not resumed.
    var etag: String
    var size: Int64
    var chunks: [Chunk]

    var bytesDone: Int64 { chunks.reduce(0) { $0 + $1.done } }

    /// One chunk for the whole file, or chunks of `chunkSize` for parallel ranged requests.
    static func plan(etag: String, size: Int64, chunkSize: Int64?) -> ResumeSidecar {
        guard let chunkSize, chunkSize > 0, size > chunkSize else {
            return ResumeSidecar(etag: etag, size: size, chunks: [Chunk(start: 0, length: size, done: 0)])
        }
        let chunks = stride(from: Int64(0), to: size, by: Int(chunkSize)).map {
            Chunk(start: $0, length: min(chunkSize, size - $0), done: 0)
        }
        return ResumeSidecar(etag: etag, size: size, chunks: chunks)
    }

    static func location(for partial: URL) -> URL {
        URL(fileURLWithPath: partial.path + ".resume.json")
    }

    /// The sidecar of `partial` if it describes the same file and the partial still holds its bytes.
    static func load(for partial: URL, etag: String, size: Int64) -> ResumeSidecar? {
        guard let data = try? Data(contentsOf: location(for: partial)),
              let sidecar = try? JSONDecoder().decode(ResumeSidecar.self, from: data),
              sidecar.version == 1, sidecar.etag == etag, sidecar.size == size,
              let attributes = try? FileManager.default.attributesOfItem(atPath: partial.path),
              let length = (attributes[.size] as? NSNumber)?.int64Value
        else { return nil }
        let valid = sidecar.chunks.allSatisfy { $0.done >= 0 && $0.done <= $0.length && ($0.done == 0 || $0.start + $0.done <= length) }
        return valid ? sidecar : nil
    }

    /// Atomically replaces the sidecar (write a temporary file, then rename).
    func save(for partial: URL) throws {
        let target = Self.location(for: partial)
        let temporary = URL(fileURLWithPath: target.path + ".tmp")
        let data = try JSONEncoder().encode(self)
        try data.write(to: temporary)
        guard rename(temporary.path, target.path) == 0 else {
            throw HubError.fileSystem(path: target.path, reason: String(cString: strerror(errno)))
        }
    }

    /// Removes the sidecar and a temporary copy a killed save may have left.
    static func remove(for partial: URL) {
        let target = location(for: partial)
        try? FileManager.default.removeItem(at: target)
        try? FileManager.default.removeItem(atPath: target.path + ".tmp")
    }
}
