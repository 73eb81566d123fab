import Foundation

/// One `text/event-stream` event: `event: NAME` and its data, one `data:` line per line of text.
struct ServerSentEvent: Sendable {
    let name: String
    let data: String

    var text: String {
        "event: \(name)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
    }

    /// An event whose data is `value` as JSON.
    static func json(_ name: String, _ value: some Encodable) -> ServerSentEvent {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"error":"unencodable event","status":500}"#
        return ServerSentEvent(name: name, data: data)
    }
}
