import Foundation
import Testing
import DepotTestSupport

@Suite("Fixture hub (olah)")
struct FixtureHubTests {
    @Test("olah serves the tiny fixtures as Hub repositories, and a changed folder becomes a new commit")
    func servesFixtureRepos() throws {
        let hub = try FixtureHub()
        let curl = URL(fileURLWithPath: "/usr/bin/curl")
        let info = try runChecked(curl, ["-fsS", "\(hub.endpoint)/api/models/depot-fixtures/tiny-sd1/revision/main"])
        let json = try #require(try JSONSerialization.jsonObject(with: info.stdoutData) as? [String: Any])
        let firstCommit = try #require(json["sha"] as? String)
        #expect(firstCommit.count == 40)

        let changed = try TemporaryDirectory("depot-fixture-copy")
        let copy = changed.path("tiny-sd1")
        try FileManager.default.copyItem(at: TestEnvironment.fixture("tiny-sd1"), to: copy)
        try Data("{\"changed\": true}\n".utf8).write(to: copy.appendingPathComponent("extra.json"))
        let commits = try hub.sync(["depot-fixtures/tiny-sd1": copy])
        let secondCommit = try #require(commits["depot-fixtures/tiny-sd1"])
        #expect(secondCommit != firstCommit)
        let after = try runChecked(curl, ["-fsS", "\(hub.endpoint)/api/models/depot-fixtures/tiny-sd1/revision/main"])
        #expect(after.stdout.contains(secondCommit))
        hub.stop()
    }
}
