import DepotCoreML
import Foundation

/// Core ML models and resource folders as findings: DepotCoreML opens each model with every
/// structural check (MIL or protobuf program, each BLOBFILE record, the record chains) and
/// cross-checks the models of a resource folder.
public enum CoreMLCheck {
    /// Whether `url` is a Core ML model folder (by extension or by its contents).
    public static func isModel(_ url: URL) -> Bool {
        if ["mlmodelc", "mlpackage"].contains(url.pathExtension) { return true }
        let exists = { FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path) }
        return exists("model.mil") || exists("Manifest.json")
    }

    /// Model folders directly in `folder` and in its controlnet/ subfolder (Apple's layout).
    public static func models(in folder: URL) -> [URL] {
        [folder, folder.appendingPathComponent("controlnet")].flatMap { parent in
            ((try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []).sorted()
                .filter { $0.hasSuffix(".mlmodelc") || $0.hasSuffix(".mlpackage") }
                .map { parent.appendingPathComponent($0, isDirectory: true) }
        }
    }

    /// Opens one model; `display` names it in findings (its path inside the checked root).
    public static func model(_ url: URL, display: String) -> (CoreMLModel?, [Finding]) {
        do {
            return (try CoreMLModel(at: url), [])
        } catch {
            return (nil, [finding(error, url: url, display: display)])
        }
    }

    /// The resource folder's consistency problems (text width, latent size, chunks, attention, ControlNet).
    public static func resourceFolder(_ url: URL, display: String) -> (CoreMLResourceFolder?, [Finding]) {
        do {
            let folder = try CoreMLResourceFolder(at: url)
            return (folder, folder.problems.map { Finding(file: display, subject: $0.check, message: $0.message) })
        } catch {
            return (nil, [finding(error, url: url, display: display)])
        }
    }

    static func finding(_ error: CoreMLError, url: URL, display: String) -> Finding {
        var subject: String?
        if case .blobRecord(_, let weight, _, _) = error { subject = weight }
        if case .unresolvedWeightPath(let weight, _, _) = error { subject = weight }
        let message = error.description.replacingOccurrences(of: url.path, with: display)
        return Finding(file: display, subject: subject, message: message)
    }
}
