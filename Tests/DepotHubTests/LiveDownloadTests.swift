import DepotTestSupport
import Foundation
import Testing
@testable import DepotHub

/// Downloads against testhub.py, with and without injected faults. Each ends with a verified
/// file or a clear error.
@Suite struct LiveDownloadTests {
    let unet = "unet/diffusion_pytorch_model.safetensors"  // 3 MiB: parallel ranged chunks in these tests

    func expectVerified(_ result: DownloadResult, _ hub: TestHub, _ path: String) throws {
        let bytes = try Data(contentsOf: result.partialFile)
        #expect(bytes == sampleFiles[path])
        #expect(result.size == Int64(bytes.count))
        #expect(!FileManager.default.fileExists(atPath: result.partialFile.path + ".resume.json"))
    }

    @Test func smallFileIsCheckedAgainstItsGitBlobSHA1() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let result = try await downloadListed(hub.client(), path: "scheduler/scheduler_config.json", into: directory)
            try expectVerified(result, hub, "scheduler/scheduler_config.json")
            #expect(result.bytesTransferred == result.size && result.bytesResumed == 0)
        }
    }

    @Test func largeFileComesInParallelRangedChunks() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let reports = ProgressLog()
            let result = try await downloadListed(hub.client(), path: unet, into: directory) { reports.append($0) }
            try expectVerified(result, hub, unet)
            let ranged = try await hub.log().filter { $0.method == "GET" && $0.kind == "resolve" && $0.status == 206 }
            #expect(ranged.count == 12)  // 3 MiB in 256 KiB chunks
            #expect(reports.first == DownloadProgress(path: unet, completedBytes: 0, totalBytes: 3 << 20, resumedBytes: 0))
            #expect(reports.last == DownloadProgress(path: unet, completedBytes: 3 << 20, totalBytes: 3 << 20, resumedBytes: 0))
        }
    }

    @Test(arguments: ["reset", "short"])
    func brokenBodyIsResumedWithRange(kind: String) async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            try await hub.inject(#"[{"kind": "\#(kind)", "path": "text_encoder/model.safetensors", "after": 300000}]"#)
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let result = try await downloadListed(hub.client(), path: "text_encoder/model.safetensors", into: directory)
            try expectVerified(result, hub, "text_encoder/model.safetensors")
            let gets = try await hub.log().filter { $0.method == "GET" && $0.kind == "resolve" }
            #expect(gets.first?.fault == kind)
            let resumedRange = try #require(gets.last?.range)
            let resumedAt = try #require(Int(resumedRange.dropFirst("bytes=".count).prefix { $0 != "-" }))
            #expect(resumedAt > 0 && resumedAt <= 300000)
        }
    }

    @Test func corruptByteIsCaughtAndDownloadedAgain() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            try await hub.inject(#"[{"kind": "corrupt", "path": "README.md", "at": 3}]"#)
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let result = try await downloadListed(hub.client(), path: "README.md", into: directory)
            try expectVerified(result, hub, "README.md")
            #expect(result.bytesTransferred == 2 * result.size)
        }
    }

    @Test func persistentCorruptionFailsNamingFileAndHashes() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            try await hub.inject(#"[{"kind": "corrupt", "path": "text_encoder/model.safetensors", "at": 1000, "times": 5}]"#)
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let request = try await downloadRequest(hub.client(), path: "text_encoder/model.safetensors", into: directory)
            do {
                _ = try await hub.client().download(request)
                Issue.record("a corrupt file was accepted")
            } catch let error as HubError {
                guard case let .hashMismatch(path, algorithm, expected, actual) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(path == "text_encoder/model.safetensors")
                #expect(algorithm == "sha256")
                #expect(expected == request.expectedHash.hex)
                #expect(actual.count == 64 && actual != expected)
                #expect("\(error)".contains(expected) && "\(error)".contains(actual))
            }
            #expect(!FileManager.default.fileExists(atPath: request.partialFile.path))
        }
    }

    @Test func serviceUnavailableIsRetried() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            try await hub.inject(#"[{"kind": "status", "path": "README.md", "status": 503, "times": 2}, {"kind": "status", "path": "revision:*", "status": 502}]"#)
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let result = try await downloadListed(hub.client(), path: "README.md", into: directory)
            try expectVerified(result, hub, "README.md")
            let statuses = try await hub.log().filter { $0.kind == "resolve" }.compactMap(\.status)
            #expect(statuses == [503, 503, 200])
        }
    }

    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            try await hub.inject(#"[{"kind": "status", "path": "README.md", "status": 429, "headers": {"Retry-After": "1"}}]"#)
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let request = try await downloadRequest(hub.client(), path: "README.md", into: directory)
            let started = Date()
            let result = try await hub.client().download(request)
            #expect(Date().timeIntervalSince(started) >= 0.95)  // the client's own backoff here is ≤ 0.2 s
            try expectVerified(result, hub, "README.md")
        }
    }

    @Test func retriesRunOutWithAClearError() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            try await hub.inject(#"[{"kind": "status", "path": "README.md", "status": 500, "times": 50}]"#)
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let request = try await downloadRequest(hub.client(), path: "README.md", into: directory)
            await #expect(throws: HubError.httpStatus(status: 500, url: "\(hub.endpoint)/org/model/resolve/\(request.commit)/README.md", message: "injected")) {
                try await hub.client().download(request)
            }
        }
    }

    @Test func stalledTransferIsAbandonedAndResumed() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            try await hub.inject(#"[{"kind": "stall", "path": "text_encoder/model.safetensors", "after": 200000, "seconds": 20}]"#)
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let result = try await downloadListed(hub.client(stallSeconds: 1), path: "text_encoder/model.safetensors", into: directory)
            try expectVerified(result, hub, "text_encoder/model.safetensors")
            let gets = try await hub.log().filter { $0.method == "GET" && $0.kind == "resolve" }
            #expect(gets.first?.fault == "stall")
            #expect(gets.last?.range?.hasPrefix("bytes=") == true)
        }
    }

    @Test func ignoredRangeRestartsCleanlyFromZero() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            // The first body breaks; the resuming Range request is answered with the whole file.
            try await hub.inject(#"[{"kind": "reset", "path": "text_encoder/model.safetensors", "after": 100000}, {"kind": "ignore_range", "path": "text_encoder/model.safetensors"}]"#)
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let result = try await downloadListed(hub.client(), path: "text_encoder/model.safetensors", into: directory)
            try expectVerified(result, hub, "text_encoder/model.safetensors")
            let gets = try await hub.log().filter { $0.method == "GET" && $0.kind == "resolve" }
            #expect(gets.map(\.fault) == ["reset", "ignore_range", nil])
            #expect(gets.last?.range == nil && gets.last?.status == 200)
            // The broken first body counts too; the ignored Range answer was refused before its body.
            #expect(result.bytesTransferred > result.size && result.bytesTransferred <= result.size + 100000)
        }
    }

    @Test func serverIgnoringRangeOnParallelChunksFallsBackToOneStream() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            try await hub.inject(#"[{"kind": "ignore_range", "path": "unet/diffusion_pytorch_model.safetensors", "times": 4}]"#)
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let result = try await downloadListed(hub.client(), path: unet, into: directory)
            try expectVerified(result, hub, unet)
            let last = try #require(try await hub.log().last { $0.method == "GET" && $0.kind == "resolve" })
            #expect(last.range == nil && last.status == 200)
        }
    }

    @Test func fileShrunkOnTheServerIsASizeError() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            var request = try await downloadRequest(hub.client(), path: "text_encoder/model.safetensors", into: directory)
            // A partial that claims more than the server has now: its Range gets 416.
            request.size += 1000
            var sidecar = ResumeSidecar.plan(etag: request.expectedHash.hex, size: request.size, chunkSize: nil)
            sidecar.chunks[0].done = 700 << 10
            try Data(count: 700 << 10).write(to: request.partialFile)
            try sidecar.save(for: request.partialFile)
            await #expect(throws: HubError.sizeMismatch(path: "text_encoder/model.safetensors", expected: request.size, actual: 700 << 10)) {
                try await hub.client().download(request)
            }
            #expect(try await hub.log().contains { $0.status == 416 })
        }
    }

    @Test func authorizationIsDroppedOnRedirectToAnotherHost() async throws {
        try await withHub(token: "secret") { hub in
            try hub.addSampleRepo()
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let client = hub.client(token: "secret")
            let request = try await downloadRequest(client, path: "README.md", into: directory)
            // "localhost" is another host than "127.0.0.1" as far as the client can tell.
            let cdn = "http://localhost:\(hub.port)/org/model/resolve/\(request.commit)/README.md"
            try await hub.inject(#"[{"kind": "redirect", "path": "README.md", "location": "\#(cdn)"}]"#)
            let result = try await client.download(request)
            try expectVerified(result, hub, "README.md")
            let gets = try await hub.log().filter { $0.method == "GET" && $0.kind == "resolve" }
            #expect(gets.map(\.authorized) == [true, false])
        }
    }

    @Test func chunksGoStraightToTheRememberedRedirectTarget() async throws {
        try await withHub(token: "secret") { hub in
            try hub.addSampleRepo()
            let scratch = try TemporaryDirectory("depot-hub-download")
            let client = hub.client(token: "secret")
            let request = try await downloadRequest(client, path: unet, into: scratch.url)
            let cdn = "http://localhost:\(hub.port)/org/model/resolve/\(request.commit)/\(unet)"
            try await hub.inject(#"[{"kind": "redirect", "path": "\#(unet)", "location": "\#(cdn)", "times": 100, "host": "127.0.0.1:\#(hub.port)"}]"#)
            let result = try await client.download(request)
            try expectVerified(result, hub, unet)
            let gets = try await hub.log().filter { $0.method == "GET" && $0.kind == "resolve" }
            let redirected = gets.filter { $0.status == 302 }.count
            #expect(redirected >= 1 && redirected <= 4)  // at most one per connection before the first answer
            #expect(gets.filter { $0.status == 206 && !$0.authorized }.count == 12)
        }
    }
}

/// Collects progress reports from transfer threads.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [DownloadProgress] = []

    func append(_ report: DownloadProgress) { lock.withLock { reports.append(report) } }
    var first: DownloadProgress? { lock.withLock { reports.first } }
    var last: DownloadProgress? { lock.withLock { reports.last } }
    var maxCompleted: Int64 { lock.withLock { reports.map(\.completedBytes).max() ?? 0 } }
}
