import Foundation

/// An .mlpackage's Manifest.json: {fileFormatVersion, itemInfoEntries{id: {path, name, author, description}}, rootModelIdentifier}.
struct PackageManifest: Sendable {
    struct Item: Sendable {
        var identifier: String
        var path: String
        var name: String?
    }

    var fileFormatVersion: String
    var items: [Item]
    var rootModel: Item

    /// Reads and checks the manifest: the root model is listed, every item path exists under Data/.
    init(packageURL: URL) throws(CoreMLError) {
        let file = packageURL.appendingPathComponent("Manifest.json")
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw .missingFile(model: packageURL.path, path: "Manifest.json", purpose: "an .mlpackage lists its items there")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .invalidManifest(file: file.path, problem: "not a JSON object")
        }
        guard let version = object["fileFormatVersion"] as? String else {
            throw .invalidManifest(file: file.path, problem: "no fileFormatVersion string")
        }
        guard let entries = object["itemInfoEntries"] as? [String: [String: Any]] else {
            throw .invalidManifest(file: file.path, problem: "no itemInfoEntries object")
        }
        var items: [Item] = []
        for (identifier, entry) in entries.sorted(by: { $0.key < $1.key }) {
            guard let path = entry["path"] as? String, !path.isEmpty else {
                throw .invalidManifest(file: file.path, problem: "item \(identifier) has no path")
            }
            guard !path.split(separator: "/").contains("..") && !path.hasPrefix("/") else {
                throw .invalidManifest(file: file.path, problem: "item \(identifier) path \(path) leaves the package")
            }
            guard FileManager.default.fileExists(atPath: packageURL.appendingPathComponent("Data").appendingPathComponent(path).path) else {
                throw .invalidManifest(file: file.path, problem: "item \(identifier) names Data/\(path), which does not exist")
            }
            items.append(Item(identifier: identifier, path: path, name: entry["name"] as? String))
        }
        guard let rootIdentifier = object["rootModelIdentifier"] as? String else {
            throw .invalidManifest(file: file.path, problem: "no rootModelIdentifier")
        }
        guard let root = items.first(where: { $0.identifier == rootIdentifier }) else {
            throw .invalidManifest(file: file.path, problem: "rootModelIdentifier \(rootIdentifier) is not among itemInfoEntries")
        }
        fileFormatVersion = version
        self.items = items
        rootModel = root
    }
}
