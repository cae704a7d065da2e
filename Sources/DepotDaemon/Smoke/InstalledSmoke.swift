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
        let output = output ?? Self.defaultOutput(model: model, isFolder: installedName == nil, in: defaultFolder)
        let report = try await SmokeTest(model: folder, output: output, steps: steps).run(onStep: onStep)
        if let installedName {
            try await service().recordSmoke(of: installedName, passed: report.passed, detail: report.summary)
        }
        return report
    }

    /// The request `POST /v1/smoke` needs for what `run` would do in `currentFolder`: a model
    /// folder and the PNG as absolute paths, so the daemon writes where the in-process run would.
    public static func daemonBody(model: String, output: String?, steps: Int?, currentFolder: URL) -> SmokeBody {
        let isFolder = isExistingFolder(model)
        let name = isFolder ? URL(fileURLWithPath: model).standardizedFileURL.path : model
        let png = output.map { URL(fileURLWithPath: $0) } ?? defaultOutput(model: name, isFolder: isFolder, in: currentFolder)
        return SmokeBody(name: name, output: png.standardizedFileURL.path, steps: steps)
    }

    /// A model folder as given, else an installed model's snapshot with that name.
    private func resolve(_ model: String) async throws -> (URL, String?) {
        if Self.isExistingFolder(model) { return (URL(fileURLWithPath: model), nil) }
        return (try await service().snapshotFolder(of: model), model)
    }

    private static func isExistingFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// `smoke-<model>.png` in `folder`; a model folder is named by its last component.
    private static func defaultOutput(model: String, isFolder: Bool, in folder: URL) -> URL {
        folder.appendingPathComponent(SmokeTest.defaultFileName(model: isFolder ? URL(fileURLWithPath: model).lastPathComponent : model))
    }
}
