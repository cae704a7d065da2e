import DepotPull
import DepotRunner
import Foundation

/// The daemon's smoke tests, one at a time: a generation takes every core and gigabytes of memory
/// for a real model, so a second request waits for the first instead of both crawling. The
/// generation itself runs on a thread of its own (`SmokeTest.run`), off the server's event loops.
public actor SmokeQueue {
    private let smoke: InstalledSmoke
    /// Where PNGs go when the request names no output.
    public nonisolated let defaultFolder: URL
    private var busy = false
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextWaiter = 0

    public init(service: DepotService) {
        smoke = InstalledSmoke { service }
        defaultFolder = URL(fileURLWithPath: service.config.depotHome).appendingPathComponent("smoke", isDirectory: true)
    }

    public func run(_ body: SmokeBody) async throws -> SmokeReport {
        let output = try body.outputURL()
        try await takeTurn()
        defer { handOver() }
        try FileManager.default.createDirectory(at: defaultFolder, withIntermediateDirectories: true)
        return try await smoke.run(model: body.name, output: output, steps: body.steps, defaultFolder: defaultFolder)
    }

    /// Returns when this request may run; a cancelled request (the daemon stops) leaves the line.
    private func takeTurn() async throws {
        guard busy else {
            busy = true
            return
        }
        let id = nextWaiter
        nextWaiter += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { waiters.append((id, $0)) }
        } onCancel: {
            Task { await self.leaveLine(id) }
        }
    }

    private func leaveLine(_ id: Int) {
        guard let position = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: position).continuation.resume(throwing: CancellationError())
    }

    /// Lets the next waiter run, or marks the queue idle.
    private func handOver() {
        if waiters.isEmpty {
            busy = false
            DaemonProcessTuning.returnFreedMemory()
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }
}
