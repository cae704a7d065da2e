/// Cuts special tokens out of raw text before normalization, as transformers does for its added
/// tokens: scanning left to right, the longest special token starting at a position wins.
enum SpecialTokenSplitter {
    enum Piece: Equatable {
        case text(String)
        case special(String)
    }

    static func split(_ text: String, specialTokens: [String]) -> [Piece] {
        let candidates = specialTokens.filter { !$0.isEmpty }.map { Array($0.unicodeScalars) }
            .sorted { $0.count > $1.count }
        let scalars = Array(text.unicodeScalars)
        var pieces: [Piece] = []
        var pending = String.UnicodeScalarView()
        var position = 0
        while position < scalars.count {
            if let token = candidates.first(where: { matches($0, scalars, at: position) }) {
                if !pending.isEmpty { pieces.append(.text(String(pending))); pending = String.UnicodeScalarView() }
                var special = String.UnicodeScalarView()
                special.append(contentsOf: token)
                pieces.append(.special(String(special)))
                position += token.count
            } else {
                pending.append(scalars[position])
                position += 1
            }
        }
        if !pending.isEmpty { pieces.append(.text(String(pending))) }
        return pieces
    }

    private static func matches(_ token: [Unicode.Scalar], _ scalars: [Unicode.Scalar], at position: Int) -> Bool {
        guard position + token.count <= scalars.count else { return false }
        for (offset, scalar) in token.enumerated() where scalars[position + offset] != scalar { return false }
        return true
    }
}
