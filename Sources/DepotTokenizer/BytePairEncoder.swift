/// Byte-pair encoding of one pre-tokenized word, CLIP style: the last symbol carries the
/// end-of-word marker `</w>`, and the lowest-ranked adjacent pair is merged until none is ranked.
struct BytePairEncoder: Sendable {
    static let endOfWord = "</w>"

    private struct Pair: Hashable {
        let left: String
        let right: String
    }

    private let ranks: [Pair: Int]

    init(merges: [(String, String)]) {
        var ranks = [Pair: Int](minimumCapacity: merges.count)
        for (rank, merge) in merges.enumerated() where ranks[Pair(left: merge.0, right: merge.1)] == nil {
            ranks[Pair(left: merge.0, right: merge.1)] = rank
        }
        self.ranks = ranks
    }

    /// Splits a word (already mapped to the byte-level alphabet) into vocabulary symbols.
    func encode(_ word: [Character]) -> [String] {
        guard let last = word.last else { return [] }
        var symbols = word.dropLast().map { String($0) }
        symbols.append(String(last) + Self.endOfWord)

        while symbols.count > 1 {
            var bestRank = Int.max
            var bestPair: Pair?
            for index in 0..<(symbols.count - 1) {
                let pair = Pair(left: symbols[index], right: symbols[index + 1])
                if let rank = ranks[pair], rank < bestRank {
                    bestRank = rank
                    bestPair = pair
                }
            }
            guard let pair = bestPair else { break }
            var merged: [String] = []
            merged.reserveCapacity(symbols.count)
            var index = 0
            while index < symbols.count {
                if index + 1 < symbols.count, symbols[index] == pair.left, symbols[index + 1] == pair.right {
                    merged.append(pair.left + pair.right)
                    index += 2
                } else {
                    merged.append(symbols[index])
                    index += 1
                }
            }
            symbols = merged
        }
        return symbols
    }
}
