import DepotPull
import DepotRunner
import Foundation

/// A smoke test of a model folder or an installed model (a `depot list` name, optionally
/// @COMMIT), whose outcome is then recorded on that version in the catalog. `depot smoke` runs it
/// in-process; the daemon's `POST /v1/smoke` runs the same.
public struct InstalledSmoke: Sendable {
    /// Opened only for installed names: smoking a folder needs no catalog.
    private let service: @Sendable () async throws -> DepotService

    public init(service: @escaping @Sendable () async throws -> DepotService) { self.service = service }

    /// - Parameters:
    ///   - model: an existing folder, else an installed model's name.
    ///   - output: the PNG; nil for `smoke-<model>.png` in `defaultFolder`.
    public func run(model: String, output: URL?, steps: Int?, defaultFolder: URL,
                    onStep: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> SmokeReport {
        let (folder, installedName) = try await resolve(model)
        let output = output ?? defaultFolder.appendingPathComponent(
            SmokeTest.defaultFileName(model: installedName ?? folder.lastPathComponent))
        let report = try await SmokeTest(model: folder, output: output, steps: steps).run(onStep: onStep)
        if let installedName {
            try await service().recordSmoke(of: installedName, passed: report.passed, detail: report.summary)
        }
        return report
    }

    /// A model folder as given, else an installed model's snapshot with that name.
    private func resolve(_ model: String) async throws -> (URL, String?) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory), isDirectory.boolValue {
            return (URL(fileURLWithPath: model), nil)
        }
        return (try await service().snapshotFolder(of: model), model)
    }
}
