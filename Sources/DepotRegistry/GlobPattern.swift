/// A shell-style pattern with the semantics of Python's `fnmatch.fnmatchcase`, which
/// huggingface_hub uses for `allow_patterns` / `ignore_patterns`:
///
/// - `*` matches any run of characters, **including `/`**;
/// - `?` matches one character (also `/`);
/// - `[seq]` matches one character in the set, `[!seq]` one not in it; `a-z` inside is a range,
///   a `]` first in the set is literal, a `-` first or last is literal, a reversed range is empty;
/// - a `[` without a closing `]` is a literal `[`; backslash escapes nothing.
///
/// Matching is case-sensitive and compares Unicode scalars, as Python compares code points.
public struct GlobPattern: Sendable, Equatable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    private let tokens: [Token]

    private enum Token: Equatable {
        case literal(Unicode.Scalar)
        case anyCharacter
        case anyRun
        case set(items: [SetItem], negated: Bool)
    }

    private enum SetItem: Equatable {
        case single(Unicode.Scalar)
        case range(Unicode.Scalar, Unicode.Scalar)

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            switch self {
            case .single(let value): return scalar == value
            case .range(let low, let high): return low <= scalar && scalar <= high
            }
        }
    }

    public init(_ pattern: String) {
        self.pattern = pattern
        self.tokens = Self.parse(Array(pattern.unicodeScalars))
    }

    public var description: String { pattern }

    /// Whether `text` matches the whole pattern.
    public func matches(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        // Two-pointer wildcard matching: on a mismatch, let the last `*` absorb one more character.
        var (t, s) = (0, 0)
        var backtrack: (token: Int, scalar: Int)?
        while s < scalars.count {
            if t < tokens.count, tokens[t] == .anyRun {
                backtrack = (t, s)
                t += 1
            } else if t < tokens.count, Self.token(tokens[t], matches: scalars[s]) {
                t += 1
                s += 1
            } else if let last = backtrack {
                backtrack = (last.token, last.scalar + 1)
                t = last.token + 1
                s = last.scalar + 1
            } else {
                return false
            }
        }
        return tokens[t...].allSatisfy { $0 == .anyRun }
    }

    private static func token(_ token: Token, matches scalar: Unicode.Scalar) -> Bool {
        switch token {
        case .literal(let value): return value == scalar
        case .anyCharacter: return true
        case .anyRun: return false
        case .set(let items, let negated): return items.contains { $0.contains(scalar) } != negated
        }
    }

    private static func parse(_ pattern: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < pattern.count {
            let scalar = pattern[index]
            index += 1
            switch scalar {
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case "?":
                tokens.append(.anyCharacter)
            case "[":
                if let (set, next) = parseSet(pattern, from: index) {
                    tokens.append(set)
                    index = next
                } else {
                    tokens.append(.literal("["))
                }
            default:
                tokens.append(.literal(scalar))
            }
        }
        return tokens
    }

    /// Parses the set whose contents start at `start` (just after `[`); nil when there is no closing `]`.
    private static func parseSet(_ pattern: [Unicode.Scalar], from start: Int) -> (Token, Int)? {
        var end = start
        if end < pattern.count, pattern[end] == "!" { end += 1 }
        if end < pattern.count, pattern[end] == "]" { end += 1 }
        while end < pattern.count, pattern[end] != "]" { end += 1 }
        guard end < pattern.count else { return nil }

        var contents = Array(pattern[start..<end])
        let negated = contents.first == "!"
        if negated { contents.removeFirst() }
        var items: [SetItem] = []
        var position = 0
        while position < contents.count {
            if position + 2 < contents.count, contents[position + 1] == "-" {
                items.append(.range(contents[position], contents[position + 2]))
                position += 3
            } else {
                items.append(.single(contents[position]))
                position += 1
            }
        }
        return (.set(items: items, negated: negated), end + 1)
    }
}
