import Foundation

/// A single `Range: bytes=...` request against a file of known size (RFC 9110 §14.1.2).
/// Several ranges, or a header depot cannot read, are ignored (a 200 with the whole file is a
/// valid answer); a readable range that starts past the end is unsatisfiable (416).
public enum ByteRange: Sendable, Equatable {
    case whole
    case partial(ClosedRange<Int64>)
    case unsatisfiable

    public init(header: String?, size: Int64) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        switch (Int64(first), Int64(last)) {
        case (nil, let suffix?) where first.isEmpty:
            // The last `suffix` bytes.
            self = suffix <= 0 || size == 0 ? .unsatisfiable : .partial(max(size - suffix, 0)...(size - 1))
        case (let start?, nil) where last.isEmpty:
            self = start >= size ? .unsatisfiable : .partial(start...(size - 1))
        case (let start?, let end?) where start <= end:
            self = start >= size ? .unsatisfiable : .partial(start...min(end, size - 1))
        default:
            self = .whole
        }
    }
}
