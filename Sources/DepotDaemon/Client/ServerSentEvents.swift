/// Splits a `text/event-stream` body into events (`event:` name and joined `data:` lines).
struct ServerSentEventParser {
    struct Event: Equatable {
        var name: String
        var data: String
    }

    private var pending: [UInt8] = []
    private var name = "message"
    private var data: [String] = []

    /// Feeds bytes; returns the events they completed.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Event] {
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            var line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty {
                if !data.isEmpty { events.append(Event(name: name, data: data.joined(separator: "\n"))) }
                name = "message"
                data = []
            } else if line.hasPrefix("event:") {
                name = Self.value(of: line, after: "event:")
            } else if line.hasPrefix("data:") {
                data.append(Self.value(of: line, after: "data:"))
            }
        }
        return events
    }

    private static func value(of line: String, after field: String) -> String {
        let rest = line.dropFirst(field.count)
        return String(rest.first == " " ? rest.dropFirst() : rest)
    }
}
