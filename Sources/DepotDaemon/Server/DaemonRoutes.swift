import DepotCore
import DepotPull
import DepotSync
import Foundation
import Hummingbird

/// The JSON API of docs/API.md on a router.
public struct DaemonRoutes: Sendable {
    public let queue: JobQueue
    public let metrics: DaemonMetrics
    public let address: DaemonAddress
    public let startedAt: Date
    let modelList: ModelListCache
    let smokes: SmokeQueue

    public init(queue: JobQueue, metrics: DaemonMetrics, address: DaemonAddress, startedAt: Date = Date()) {
        self.queue = queue
        self.metrics = metrics
        self.address = address
        self.startedAt = startedAt
        modelList = ModelListCache(catalogPath: queue.service.catalog.path)
        smokes = SmokeQueue(service: queue.service)
    }

    var service: DepotService { queue.service }
    var tracking: Tracking { Tracking(service: queue.service) }

    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/healthz") { _, _ in try Self.json(["status": "ok"]) }
        router.get("/metrics") { _, _ in
            let text = metrics.render(jobs: try await queue.countsByState())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let api = router.group("v1")
        api.get("status") { _, _ in try Self.json(try await status()) }
        api.post("pulls") { request, context in
            let body = try await Self.decode(PullJobRequest.self, from: request, context: context)
            let (job, joined) = try await queue.submit(body)
            return try Self.json(job, status: joined ? .ok : .created)
        }
        api.get("jobs") { _, _ in try Self.json(try await queue.jobs()) }
        api.get("jobs/:id") { _, context in try Self.json(try await queue.job(id: try Self.jobID(context))) }
        api.delete("jobs/:id") { _, context in try Self.json(try await queue.cancel(id: try Self.jobID(context))) }
        api.get("jobs/:id/events") { _, context in
            let events = try await queue.events(id: try Self.jobID(context))
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                            body: ResponseBody { writer in
                                for await event in events {
                                    try await writer.write(ByteBuffer(string: try event.serverSentText()))
                                }
                                try await writer.finish(nil)
                            })
        }
        api.post("bundles") { request, context in
            let (job, joined) = try await queue.submit(try await Self.decode(BundleBody.self, from: request, context: context))
            return try Self.json(job, status: joined ? .ok : .created)
        }
        api.post("smoke") { request, context in
            try Self.json(try await smokes.run(try await Self.decode(SmokeBody.self, from: request, context: context)))
        }
        api.get("models") { _, _ in
            let body = try await modelList.body { ByteBuffer(bytes: try DaemonJSON.encoder().encode(try await tracking.listInstalled())) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        // `org/name` and registry names with a variant span two segments; a plain registry name is one.
        api.delete("models/:name/:second") { request, context in
            try await remove("\(try context.parameters.require("name"))/\(try context.parameters.require("second"))", request: request)
        }
        api.delete("models/:name") { request, context in
            try await remove(try context.parameters.require("name"), request: request)
        }
    }

    private func status() async throws -> DaemonStatus {
        DaemonStatus(address: address.description, pid: getpid(), version: DepotVersion.current, startedAt: startedAt,
                     uptimeSeconds: Date().timeIntervalSince(startedAt), maxJobs: queue.maxJobs, jobs: try await queue.jobs())
    }

    private func remove(_ name: String, request: Request) async throws -> Response {
        let commit = request.uri.queryParameters.get("commit")
        let reference = commit.map { "\(name)@\($0)" } ?? name
        let force = ["true", "1"].contains(request.uri.queryParameters.get("force") ?? "")
        return try Self.json(try await tracking.remove(reference, force: force))
    }

    // MARK: helpers

    static func json<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try DaemonJSON.encoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from request: Request, context: some RequestContext) async throws -> Value {
        let body = try await request.body.collect(upTo: 1 << 20)
        do {
            return try DaemonJSON.decoder().decode(type, from: Data(body.readableBytesView))
        } catch {
            throw APIError.badRequest("the body is not a valid \(type) JSON object (see docs/API.md): \(error)")
        }
    }

    static func jobID(_ context: some RequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw APIError.badRequest("a job id is a number, as in /v1/jobs/12")
        }
        return id
    }
}
