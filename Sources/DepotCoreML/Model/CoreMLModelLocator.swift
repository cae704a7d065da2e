import Foundation

/// Finds Core ML models inside a folder (a snapshot, a resource folder, an extracted zip).
public enum CoreMLModelLocator {
    /// Every `.mlmodelc` and `.mlpackage` below `folder`, sorted by path; models are not searched inside.
    public static func models(under folder: URL) -> [URL] {
        var found: [URL] = []
        var pending = [folder]
        while let current = pending.popLast() {
            let entries = (try? FileManager.default.contentsOfDirectory(at: current, includingPropertiesForKeys: [.isDirectoryKey])) ?? []
            for entry in entries where (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                if ["mlmodelc", "mlpackage"].contains(entry.pathExtension) {
                    found.append(entry)
                } else {
                    pending.append(entry)
                }
            }
        }
        return found.sorted { $0.path < $1.path }
    }
}
