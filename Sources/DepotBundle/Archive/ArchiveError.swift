/// Why an archive was refused or could not be read. Nothing of a refused archive stays on disk.
public enum ArchiveError: Error, Sendable, CustomStringConvertible {
    case unreadable(archive: String, reason: String)
    case absolutePath(archive: String, entry: String)
    case parentTraversal(archive: String, entry: String)
    case linkEscapes(archive: String, entry: String, target: String)
    case specialFile(archive: String, entry: String)
    case expansionRatio(archive: String, archiveBytes: Int64, expandedBytes: Int64, limit: Int64)
    case totalTooLarge(archive: String, limit: Int64)
    case writeFailed(path: String, reason: String)
    case libraryUnavailable(soname: String, reason: String, install: String)

    public var description: String {
        switch self {
        case .unreadable(let archive, let reason):
            return "cannot read the archive \(archive): \(reason); run `depot verify` on the model, or pull it again"
        case .absolutePath(let archive, let entry):
            return "refusing \(archive): entry \"\(entry)\" has an absolute path and would be written outside the extraction folder"
        case .parentTraversal(let archive, let entry):
            return "refusing \(archive): entry \"\(entry)\" climbs out of the extraction folder with `..`"
        case .linkEscapes(let archive, let entry, let target):
            return "refusing \(archive): link \"\(entry)\" points at \"\(target)\", outside the extraction folder"
        case .specialFile(let archive, let entry):
            return "refusing \(archive): entry \"\(entry)\" is a device, FIFO or socket, which a model archive never holds"
        case .expansionRatio(let archive, let archiveBytes, let expandedBytes, let limit):
            return "refusing \(archive): it expands past \(limit):1 (\(archiveBytes) bytes became more than \(expandedBytes)), the mark of a decompression bomb"
        case .totalTooLarge(let archive, let limit):
            return "refusing \(archive): it expands to more than \(limit) bytes, the configured limit"
        case .writeFailed(let path, let reason):
            return "cannot write \(path) while extracting: \(reason); check free space and permissions"
        case .libraryUnavailable(let soname, let reason, let install):
            return "reading archives needs libarchive (\(soname)), which could not be loaded: \(reason); install it (`\(install)`) and run the command again"
        }
    }
}
