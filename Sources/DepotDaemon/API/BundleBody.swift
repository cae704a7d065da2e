import DepotBundle
import Foundation

/// The body of `POST /v1/bundles`: what `depot bundle NAME -o DIR` takes, with DIR absolute on the daemon's machine.
public struct BundleBody: Sendable, Codable, Equatable {
    public var name: String
    public var output: String
    public var variant: String?
    public var copy: Bool?
    public var force: Bool?
    public var controlnets: [String]?
    public var refiner: String?
    public var t5: Bool?

    public init(name: String, output: String, variant: String? = nil, copy: Bool? = nil, force: Bool? = nil,
                controlnets: [String]? = nil, refiner: String? = nil, t5: Bool? = nil) {
        self.name = name
        self.output = output
        self.variant = variant
        self.copy = copy
        self.force = force
        self.controlnets = controlnets
        self.refiner = refiner
        self.t5 = t5
    }

    func request() throws -> BundleRequest {
        guard output.hasPrefix("/") else {
            throw APIError.badRequest("output must be an absolute path on the daemon's machine, not \"\(output)\"")
        }
        return BundleRequest(name: name, output: URL(fileURLWithPath: output), variant: variant, copy: copy ?? false,
                             force: force ?? false, controlNets: controlnets ?? [], refiner: refiner, t5: t5 ?? false)
    }
}
