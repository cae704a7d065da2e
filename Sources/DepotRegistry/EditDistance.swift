/// Levenshtein distance between two strings (insertions, deletions, substitutions of characters).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The candidates closest to `query`: within a third of its length in edits (at least 2), or
/// containing it; nearest first, at most `limit`.
func closeNames(to query: String, among candidates: [String], limit: Int = 5) -> [String] {
    let query = query.lowercased()
    let allowed = max(2, query.count / 3)
    return candidates
        .map { (name: $0, distance: editDistance(query, $0.lowercased())) }
        .filter { $0.distance <= allowed || (query.count >= 3 && $0.name.lowercased().contains(query)) }
        .sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
        .prefix(limit)
        .map(\.name)
}
