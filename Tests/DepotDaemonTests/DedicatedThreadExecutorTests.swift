@testable import DepotDaemon
import Foundation
import Testing

/// Bundle jobs run on a thread of their own, not on Swift's cooperative pool.
@Suite("dedicated thread executor")
struct DedicatedThreadExecutorTests {
    /// Where each step of the work ran, before and after a suspension.
    nonisolated static func placesAcrossSleep(_ executor: DedicatedThreadExecutor) async -> [Bool] {
        var places = [executor.isCurrentThread]
        try? await Task.sleep(for: .milliseconds(10))
        places.append(executor.isCurrentThread)
        return places
    }

    @Test("work under its preference runs on its thread, before and after a suspension; other work does not")
    func runsOnItsThread() async throws {
        let executor = DedicatedThreadExecutor(name: "depot executor test")
        let preferred = await withTaskExecutorPreference(executor) { await Self.placesAcrossSleep(executor) }
        #expect(preferred == [true, true])
        #expect(await Self.placesAcrossSleep(executor) == [false, false])
    }
}
