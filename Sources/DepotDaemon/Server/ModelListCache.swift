import Foundation
import Hummingbird
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The encoded answer of `GET /v1/models`, kept until the catalog changes: encoding hundreds of
/// versions per request would cost far more than the request itself. Any commit to the catalog,
/// by this daemon or by a CLI working in-process, changes its file or its WAL's size or time.
final class ModelListCache: Sendable {
    /// What identifies one state of the catalog's files.
    struct Stamp: Equatable, Sendable {
        var files: [FileStamp]
    }

    struct FileStamp: Equatable, Sendable {
        var inode: UInt64
        var size: Int64
        var seconds: Int
        var nanoseconds: Int
    }

    private let paths: [String]
    private let cached = Mutex<(stamp: Stamp, body: ByteBuffer)?>(nil)

    init(catalogPath: String) {
        paths = [catalogPath, catalogPath + "-wal"]
    }

    /// The cached body if the catalog is unchanged since it was made, else a new one from `make`.
    func body(_ make: () async throws -> ByteBuffer) async throws -> ByteBuffer {
        let stamp = currentStamp()
        if let hit = cached.withLock({ $0?.stamp == stamp ? $0?.body : nil }) { return hit }
        let body = try await make()
        cached.withLock { $0 = (stamp, body) }
        return body
    }

    private func currentStamp() -> Stamp {
        Stamp(files: paths.map { path in
            var info = stat()
            guard stat(path, &info) == 0 else { return FileStamp(inode: 0, size: -1, seconds: 0, nanoseconds: 0) }
            return FileStamp(inode: UInt64(info.st_ino), size: Int64(info.st_size),
                             seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
        })
    }
}
