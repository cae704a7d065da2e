import Foundation

/// One file of a bundle: where it goes and where its bytes are.
public struct PlannedFile: Sendable, Equatable {
    /// Path inside the bundle, e.g. `Unet.mlmodelc/weights/weight.bin`.
    public var destination: String
    /// The file to link or copy (a snapshot path; its symlink is followed to the blob).
    public var source: String
    public var size: Int64
    public var sha256: String
    /// Which model of the bundle it comes from (an index into the manifest's models).
    public var model: Int
}

/// How the files got into the folder.
public struct PlacementCounts: Sendable, Codable, Equatable {
    public var linked = 0
    public var copied = 0
}

/// Builds a folder in a temporary sibling of its destination and renames it into place, so the
/// destination is either the old folder or the complete new one, never a half-written one.
struct FolderAssembler {
    let destination: URL
    let forceCopy: Bool
    let replaceExisting: Bool

    /// Places `files`, lets `finish` add to and check the staged folder, then moves it into place.
    func assemble(_ files: [PlannedFile], finish: (URL) throws -> Void) throws -> PlacementCounts {
        let target = destination.standardizedFileURL.path
        let parent = (target as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BundleError.destinationParentMissing(parent)
        }
        let exists = FileManager.default.fileExists(atPath: target)
        if exists, !replaceExisting { throw BundleError.destinationExists(target) }

        let name = (target as NSString).lastPathComponent
        let staging = (parent as NSString).appendingPathComponent(".\(name).depot-staging-\(UUID().uuidString.prefix(8))")
        try FileSystemCalls.makeFolder(staging)
        do {
            let counts = try place(files, in: staging)
            try finish(URL(fileURLWithPath: staging, isDirectory: true))
            try moveIntoPlace(staging, target, replacing: exists)
            return counts
        } catch {
            FileSystemCalls.removeTree(staging)
            throw error
        }
    }

    private func place(_ files: [PlannedFile], in staging: String) throws(BundleError) -> PlacementCounts {
        var counts = PlacementCounts()
        var made: Set<String> = []
        for file in files {
            let path = (staging as NSString).appendingPathComponent(file.destination)
            let folder = (path as NSString).deletingLastPathComponent
            if made.insert(folder).inserted { try FileSystemCalls.makeFolder(folder) }
            let blob = try FileSystemCalls.resolvedFile(file.source)
            if !forceCopy, try FileSystemCalls.hardLink(blob, path) == nil {
                counts.linked += 1
            } else {
                try FileSystemCalls.copyFile(blob, path)
                counts.copied += 1
            }
        }
        return counts
    }

    /// An existing destination is swapped with the staged folder in one step where the kernel can,
    /// else moved aside first; the old folder is removed after.
    private func moveIntoPlace(_ staging: String, _ target: String, replacing: Bool) throws(BundleError) {
        guard replacing else {
            try FileSystemCalls.rename(staging, target)
            return
        }
        if try FileSystemCalls.exchange(staging, target) {
            FileSystemCalls.removeTree(staging)
            return
        }
        let aside = staging + ".old"
        try FileSystemCalls.rename(target, aside)
        try FileSystemCalls.rename(staging, target)
        FileSystemCalls.removeTree(aside)
    }
}
