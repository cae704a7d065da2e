import Foundation

/// Progress of a multi-file transfer on stderr.
/// On a terminal: one bar per active file plus a total line (bytes, rate, ETA), redrawn in place at
/// most ten times a second. Elsewhere: one line per finished file, so logs stay readable.
final class ProgressDisplay: @unchecked Sendable {
    private struct Item {
        var name: String
        var done: Int64
        var total: Int64
    }

    private let lock = NSLock()
    private let interactive: Bool
    private let started = Date()
    private var items: [String: Item] = [:]
    private var order: [String] = []
    private var finishedBytes: Int64 = 0
    private var grandTotal: Int64 = 0
    private var drawnLines = 0
    private var lastDraw = Date.distantPast

    init(interactive: Bool = StandardStreams.stderrIsTerminal) {
        self.interactive = interactive
    }

    func setTotal(_ bytes: Int64) {
        lock.withLock { grandTotal = bytes }
    }

    func start(_ name: String, total: Int64) {
        lock.withLock {
            if items[name] == nil { order.append(name) }
            items[name] = Item(name: name, done: 0, total: total)
            redraw(force: false)
        }
    }

    func update(_ name: String, done: Int64) {
        lock.withLock {
            items[name]?.done = done
            redraw(force: false)
        }
    }

    /// Marks a file finished; `note` says how ("downloaded", "reused", "resumed").
    func finish(_ name: String, bytes: Int64, note: String) {
        lock.withLock {
            items[name] = nil
            order.removeAll { $0 == name }
            finishedBytes += bytes
            if interactive {
                clear()
                StandardStreams.writeError("  \(name)  \(Format.bytes(bytes))  \(note)\n")
                redraw(force: true)
            } else {
                StandardStreams.writeError("\(name)  \(Format.bytes(bytes))  \(note)\n")
            }
        }
    }

    func close() {
        lock.withLock { if interactive { clear() } }
    }

    // MARK: drawing (called with the lock held)

    private func clear() {
        guard drawnLines > 0 else { return }
        StandardStreams.writeError(String(repeating: "\u{1B}[1A\u{1B}[2K", count: drawnLines))
        drawnLines = 0
    }

    private func redraw(force: Bool) {
        guard interactive else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        clear()
        var lines: [String] = []
        for name in order.prefix(8) {
            guard let item = items[name] else { continue }
            lines.append(Self.bar(label: item.name, done: item.done, total: item.total))
        }
        let active = items.values.reduce(Int64(0)) { $0 + $1.done }
        let done = finishedBytes + active
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        let eta = grandTotal > done && rate > 0 ? Double(grandTotal - done) / rate : 0
        lines.append("total  \(Format.bytes(done)) / \(Format.bytes(grandTotal))  \(Format.rate(rate))  ETA \(Format.duration(eta))")
        StandardStreams.writeError(lines.map { $0 + "\n" }.joined())
        drawnLines = lines.count
    }

    private static func bar(label: String, done: Int64, total: Int64, width: Int = 24) -> String {
        let fraction = total > 0 ? min(Double(done) / Double(total), 1) : 0
        let filled = Int(fraction * Double(width))
        let shortLabel = label.count > 40 ? "…" + label.suffix(39) : label
        return "  \(shortLabel.padding(toLength: 40, withPad: " ", startingAt: 0)) [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: width - filled))] \(String(format: "%3.0f%%", fraction * 100)) \(Format.bytes(done))"
    }
}
