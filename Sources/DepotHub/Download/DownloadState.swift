import Foundation

/// The progress of one download attempt, shared by the transfer threads (which write chunks)
/// and the hashing thread (which follows the contiguous prefix of written bytes).
final class DownloadState: @unchecked Sendable {
    let partial: URL
    let path: String
    private let condition = NSCondition()
    private var sidecar: ResumeSidecar
    private var claimed: [Bool]
    private var transferred: Int64 = 0
    private var unsaved: Int64 = 0
    private var lastSave: UInt64 = DispatchTime.now().uptimeNanoseconds
    private let resumed: Int64
    private var stopped = false
    private var lastReport: UInt64 = 0
    private let progress: (@Sendable (DownloadProgress) -> Void)?

    /// The sidecar is rewritten after this many new bytes, or a second after the last write when
    /// some bytes are unsaved, so a kill -9 loses little work.
    private static let saveEvery: Int64 = 16 << 20
    private static let saveAfterNanoseconds: UInt64 = 1_000_000_000
    private static let reportEveryNanoseconds: UInt64 = 50_000_000

    init(sidecar: ResumeSidecar, partial: URL, path: String, progress: (@Sendable (DownloadProgress) -> Void)?) {
        self.sidecar = sidecar
        self.partial = partial
        self.path = path
        self.progress = progress
        self.claimed = sidecar.chunks.map(\.isComplete)
        self.resumed = sidecar.bytesDone
    }

    /// Tells the progress callback where this attempt starts (resumed bytes included).
    func reportStart() {
        progress?(DownloadProgress(path: path, completedBytes: resumed, totalBytes: sidecar.size, resumedBytes: resumed))
    }

    var size: Int64 { sidecar.size }
    var bytesTransferred: Int64 { condition.withLock { transferred } }

    /// The next chunk nobody works on, in file order (so the hashed prefix keeps up).
    func claimNextChunk() -> Int? {
        condition.withLock {
            guard let index = claimed.firstIndex(of: false) else { return nil }
            claimed[index] = true
            return index
        }
    }

    func chunk(_ index: Int) -> ResumeSidecar.Chunk {
        condition.withLock { sidecar.chunks[index] }
    }

    /// Records `count` bytes written at the end of chunk `index`.
    func record(chunk index: Int, count: Int64) {
        var report: DownloadProgress?
        condition.lock()
        sidecar.chunks[index].done += count
        transferred += count
        unsaved += count
        let now = DispatchTime.now().uptimeNanoseconds
        if unsaved >= Self.saveEvery || sidecar.chunks[index].isComplete {
            saveLocked(now: now)
        }
        let done = sidecar.bytesDone
        if now - lastReport >= Self.reportEveryNanoseconds || sidecar.chunks[index].isComplete {
            lastReport = now
            report = DownloadProgress(path: path, completedBytes: done, totalBytes: sidecar.size, resumedBytes: resumed)
        }
        condition.broadcast()
        condition.unlock()
        if let report { progress?(report) }
    }

    /// Bytes from offset 0 that are all written.
    private var contiguous: Int64 {
        var total: Int64 = 0
        for chunk in sidecar.chunks {
            total += chunk.done
            if !chunk.isComplete { break }
        }
        return total
    }

    /// Blocks until more than `hashed` contiguous bytes are written; nil once stopped.
    func waitForContiguous(beyond hashed: Int64) -> Int64? {
        condition.lock()
        defer { condition.unlock() }
        while contiguous <= hashed && !stopped { condition.wait() }
        return stopped ? nil : contiguous
    }

    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    func save() throws {
        try condition.withLock { try sidecar.save(for: partial) }
    }

    /// Saves the sidecar if bytes arrived since the last save and that save is a second old.
    func saveIfDue() {
        condition.withLock {
            let now = DispatchTime.now().uptimeNanoseconds
            if unsaved > 0 && now - lastSave >= Self.saveAfterNanoseconds { saveLocked(now: now) }
        }
    }

    /// Best effort: a failed save only means a later resume starts from an older point.
    private func saveLocked(now: UInt64) {
        unsaved = 0
        lastSave = now
        try? sidecar.save(for: partial)
    }
}
