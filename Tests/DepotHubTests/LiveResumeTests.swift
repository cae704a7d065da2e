import DepotTestSupport
import Foundation
import Testing
@testable import DepotHub

/// An interrupted download leaves a partial and its sidecar; the next call transfers at most the
/// bytes that were missing.
@Suite struct LiveResumeTests {
    let unet = "unet/diffusion_pytorch_model.safetensors"

    /// Waits (bounded) until `condition` holds.
    func eventually(_ seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return condition()
    }

    @Test func killedParallelDownloadResumesWithOnlyTheMissingBytes() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let client = hub.client(stallSeconds: 30)
            let request = try await downloadRequest(client, path: unet, into: directory)
            // The first chunk hangs after 100 KB; the other chunks complete.
            try await hub.inject(#"[{"kind": "stall", "path": "\#(unet)", "after": 100000, "seconds": 60}]"#)
            let reports = ProgressLog()
            let task = Task { try await client.download(request) { reports.append($0) } }
            // Every chunk but the first is complete and recorded in the sidecar.
            let sidecarURL = ResumeSidecar.location(for: request.partialFile)
            let settled = try await eventually(20) {
                let saved = (try? Data(contentsOf: sidecarURL)).flatMap { try? JSONDecoder().decode(ResumeSidecar.self, from: $0) }
                return (saved?.bytesDone ?? 0) >= request.size - (256 << 10)
            }
            #expect(settled)
            #expect(reports.maxCompleted >= request.size - (256 << 10))

            // What kill -9 would leave: the files as the running download wrote them, copied
            // before the task is told anything.
            let killed = directory.appendingPathComponent("killed.incomplete")
            try FileManager.default.copyItem(at: request.partialFile, to: killed)
            try FileManager.default.copyItem(at: sidecarURL, to: ResumeSidecar.location(for: killed))
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(FileManager.default.fileExists(atPath: sidecarURL.path))

            let saved = try JSONDecoder().decode(ResumeSidecar.self, from: Data(contentsOf: ResumeSidecar.location(for: killed)))
            #expect(saved.bytesDone >= request.size - (256 << 10))

            var resumedRequest = request
            resumedRequest.partialFile = killed
            let result = try await client.download(resumedRequest)
            #expect(result.bytesResumed == saved.bytesDone)
            #expect(result.bytesTransferred == request.size - saved.bytesDone)
            #expect(try Data(contentsOf: killed) == sampleFiles[unet])
            #expect(result.sha256 == request.expectedHash.hex)

            // The cancelled download's own partial resumes too.
            let again = try await client.download(request)
            #expect(again.bytesResumed > 0)
            #expect(again.bytesTransferred + again.bytesResumed == request.size)
            #expect(try Data(contentsOf: request.partialFile) == sampleFiles[unet])
        }
    }

    @Test func partialOfAnotherVersionIsNotResumed() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            let scratch = try TemporaryDirectory("depot-hub-download")
            let directory = scratch.url
            let client = hub.client()
            let request = try await downloadRequest(client, path: "text_encoder/model.safetensors", into: directory)
            var stale = ResumeSidecar.plan(etag: String(repeating: "0", count: 64), size: request.size, chunkSize: nil)
            stale.chunks[0].done = 1000
            try Data(count: 1000).write(to: request.partialFile)
            try stale.save(for: request.partialFile)
            let result = try await client.download(request)
            #expect(result.bytesResumed == 0)
            #expect(result.bytesTransferred == request.size)
            #expect(try Data(contentsOf: request.partialFile) == sampleFiles["text_encoder/model.safetensors"])
        }
    }
}

/// kill -9 of a real process in the middle of a file, then the same download again.
@Suite struct KillNineTests {
    /// depot-pull-driver, built by `swift build` (Scripts/test builds it before the tests).
    func pullDriver() throws -> URL {
        let candidates: [String?] = [ProcessInfo.processInfo.environment["DEPOT_PULL_DRIVER"],
                          TestEnvironment.packageRoot.appendingPathComponent(".build/debug/depot-pull-driver").path]
        for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        throw TestHubError(description: "no depot-pull-driver in .build/debug: run `swift build` first (Scripts/test does)")
    }

    @Test func killedProcessResumesWithOnlyTheUnfinishedBytes() async throws {
        let driver = try pullDriver()
        try await withHub { hub in
            try hub.addSampleRepo()
            let path = "unet/diffusion_pytorch_model.safetensors"
            let size = Int64(sampleFiles[path]!.count)
            try await hub.inject(#"[{"kind": "stall", "path": "\#(path)", "after": 1000000, "seconds": 60}]"#)
            let scratch = try TemporaryDirectory("depot-hub-kill")
            let output = scratch.path("out")
            let environment = ["HF_ENDPOINT": hub.endpoint, "HF_HOME": scratch.path("hf-home").path, "HF_TOKEN": ""]
            let sidecar = URL(fileURLWithPath: output.appendingPathComponent("diffusion_pytorch_model.safetensors").path + ".incomplete.resume.json")

            let process = Process()
            process.executableURL = driver
            process.arguments = ["org/model", path, output.path]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            try process.run()
            var saved: ResumeSidecar?
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                saved = (try? Data(contentsOf: sidecar)).flatMap { try? JSONDecoder().decode(ResumeSidecar.self, from: $0) }
                if (saved?.bytesDone ?? 0) >= 1_000_000 { break }
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let done = try #require(saved?.bytesDone)
            #expect(done == 1_000_000)

            let second = try runProcess(driver, ["org/model", path, output.path], environment: environment, timeout: 60)
            #expect(second.status == 0, "\(second.stderr)")
            struct Report: Decodable { var bytes_transferred: Int64; var bytes_resumed: Int64; var sha256: String }
            let report = try JSONDecoder().decode(Report.self, from: second.stdoutData)
            #expect(report.bytes_resumed == done)
            #expect(report.bytes_transferred == size - done)
            #expect(try Data(contentsOf: output.appendingPathComponent("diffusion_pytorch_model.safetensors")) == sampleFiles[path])
        }
    }
}
