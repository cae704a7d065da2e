import COpenBLAS
import Foundation

/// OpenBLAS is opened when the runner first needs it, not linked: commands that never run a model
/// do not map it (nor libgfortran) or start its thread pool, and run where it is not installed.
public enum OpenBLASLibrary {
    /// Opens OpenBLAS unless it is open already. The runner calls it before its first product, so
    /// a missing library is this error; a product made without loading ends the process instead.
    public static func load() throws(OpenBLASLibraryError) {
        try load(soname: nil)
    }

    /// Opens `soname` (the usual names when nil); the first library that opens serves the process.
    static func load(soname: String?) throws(OpenBLASLibraryError) {
        var message = [CChar](repeating: 0, count: 512)
        guard depot_openblas_load(soname, &message, message.count) != 0 else { return }
        let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        throw .unavailable(soname: soname ?? DEPOT_OPENBLAS_SONAME, reason: reason, install: DEPOT_OPENBLAS_INSTALL)
    }
}

/// OpenBLAS could not be opened, so the runner cannot compute.
public enum OpenBLASLibraryError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case unavailable(soname: String, reason: String, install: String)

    public var description: String {
        switch self {
        case let .unavailable(soname, reason, install):
            return "the runner needs OpenBLAS (\(soname)), which could not be loaded: \(reason). Install it (`\(install)`) and run the command again."
        }
    }

    public var errorDescription: String? { description }
}
