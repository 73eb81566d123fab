import Foundation

/// One dispatched server-sent event.
public struct ServerSentEvent: Sendable, Equatable {
    /// The `event:` field; llama.cpp also writes errors as a bare `error:` line, reported here as "error".
    public var event: String?
    /// The `data:` lines joined by "\n".
    public var data: String

    public init(event: String? = nil, data: String) {
        self.event = event
        self.data = data
    }
}

/// Incremental text/event-stream parser (WHATWG rules): feed bytes as they arrive, in chunks
/// of any size, get complete events back. Lines may end in LF, CRLF or CR; `:` lines are
/// comments; an event is dispatched at a blank line, and a trailing unterminated event is
/// dropped, as the spec says, which is what lets a cut stream be told from a finished one.
public struct ServerSentEventParser: Sendable {
    private var pending: [UInt8] = []
    private var skipLineFeed = false
    private var dataLines: [String] = []
    private var event: String?

    public init() {}

    public mutating func feed(_ bytes: Data) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if skipLineFeed {
                skipLineFeed = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0A, 0x0D:
                skipLineFeed = byte == 0x0D
                if let dispatched = endLine() { events.append(dispatched) }
            default:
                pending.append(byte)
            }
        }
        return events
    }

    /// Handles one complete line; returns an event when the line is blank and one is pending.
    private mutating func endLine() -> ServerSentEvent? {
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        if line.isEmpty {
            defer { dataLines.removeAll(); event = nil }
            guard !dataLines.isEmpty else { return nil }
            return ServerSentEvent(event: event, data: dataLines.joined(separator: "\n"))
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring, value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            let rest = line[line.index(after: colon)...]
            value = rest.hasPrefix(" ") ? rest.dropFirst() : rest
        } else {
            field = line[...]
            value = ""
        }
        switch field {
        case "data": dataLines.append(String(value))
        case "event": event = String(value)
        case "error": // llama.cpp's non-standard error line
            event = "error"
            dataLines.append(String(value))
        default: break // id, retry and unknown fields carry nothing we use
        }
        return nil
    }
}
