/// Small helpers for absolute paths kept as `String`s (the form every syscall takes).
enum PathString {
    /// Joins path components with `/`, without doubling separators.
    static func join(_ base: String, _ components: String...) -> String {
        components.reduce(base) { result, component in
            if result.hasSuffix("/") { return result + component }
            return result + "/" + component
        }
    }

    /// The parent folder of `path` (`/a/b/c` -> `/a/b`; `/a` -> `/`).
    static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// The last component of `path`.
    static func lastComponent(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
