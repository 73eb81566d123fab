import Foundation
import Numerics
#if canImport(Glibc)
import Glibc
#endif

/// A scripted HTTP server on 127.0.0.1 for fault tests: the n-th connection gets the n-th
/// reply (the last one repeats). Blocking sockets on one background thread; each reply is
/// written whole, then the connection is closed, except `.hang`, which keeps it open unanswered
/// until `stop()`, `.drip`, which trickles its bytes, and `.padded`, which streams a large body from a
/// small buffer (and stops when the client hangs up).
public final class FakeLLMServer: Sendable {
    public enum Reply: Sendable {
        case raw(String) // bytes sent as they are, then close
        case hang
        /// Head and body bytes as they are (e.g. a gzip body), then close.
        case bytes([UInt8])
        /// `head` at once, then `body` `chunk` bytes at a time, `interval` seconds apart, then close.
        case drip(head: String, body: String, chunk: Int, interval: Double)
        /// `prefix`, then `count` copies of `fill`, then `suffix`, then close; never held in memory whole.
        case padded(prefix: String, fill: UInt8, count: Int, suffix: String)

        public static func json(_ status: Int, headers: [String], _ body: String) -> Reply {
            guard case let .raw(text) = json(status, body) else { return json(status, body) }
            return .raw(text.replacingOccurrences(of: "\r\nConnection: close", with: headers.map { "\r\n" + $0 }.joined() + "\r\nConnection: close"))
        }

        public static func json(_ status: Int, _ body: String) -> Reply {
            let reason = [200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests",
                          500: "Internal Server Error", 503: "Service Unavailable"][status] ?? "Status"
            return .raw("HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n\(body)")
        }

        /// A chat completion whose message content is `content`, as an OpenAI-compatible server sends it.
        public static func chatCompletion(_ content: String, model: String = "fake-model", finishReason: String = "stop") -> Reply {
            let escaped = String(decoding: try! JSONSerialization.data(withJSONObject: content, options: [.fragmentsAllowed]), as: UTF8.self)
            return .json(200, #"{"id":"x","object":"chat.completion","model":""# + model
                + #"","choices":[{"index":0,"message":{"role":"assistant","content":"# + escaped
                + #"},"finish_reason":""# + finishReason + #""}],"usage":{"prompt_tokens":10,"completion_tokens":5}}"#)
        }

        /// A chat completion streamed as llama.cpp sends it: the content in two deltas, the finish reason,
        /// the usage, then [DONE].
        public static func streamedCompletion(_ content: String, model: String = "fake-model", finishReason: String = "stop") -> Reply {
            func delta(_ text: Substring) -> String {
                let escaped = String(decoding: try! JSONSerialization.data(withJSONObject: String(text), options: [.fragmentsAllowed]), as: UTF8.self)
                return #"{"model":""# + model + #"","choices":[{"index":0,"delta":{"content":"# + escaped + #"},"finish_reason":null}]}"#
            }
            let half = content.index(content.startIndex, offsetBy: content.count / 2)
            return sse([delta(content[..<half]), delta(content[half...]),
                        #"{"choices":[{"index":0,"delta":{},"finish_reason":""# + finishReason + #""}]}"#,
                        #"{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5}}"#, "[DONE]"])
        }

        /// An event stream with no length, ended by closing the connection, as llama.cpp's is.
        public static func sse(_ events: [String]) -> Reply {
            .raw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                + events.map { "data: \($0)\n\n" }.joined())
        }
    }

    public let port: Int
    private let listener: Int32
    private let replies: [Reply]
    /// What the accept loop and the test share: requests seen, connections held open, and whether to stop.
    private let state = Locked<(requests: [String], held: [Int32], stopped: Bool)>(([], [], false))
    private let finished = DispatchSemaphore(value: 0)

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The raw requests received so far (head and body).
    public var receivedRequests: [String] { state.withLock { $0.requests } }

    public init(_ replies: [Reply]) throws {
        precondition(!replies.isEmpty)
        self.replies = replies
        (listener, port) = try Self.listen()
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    public func stop() {
        let first = state.withLock { s -> Bool in
            defer { s.stopped = true }
            return !s.stopped
        }
        guard first else { return }
        finished.wait() // the accept loop polls `stopped` every 50 ms
        close(listener)
        state.withLock { s in s.held.forEach { _ = close($0) }; s.held.removeAll() }
    }

    /// A port on 127.0.0.1 where nothing listens: bound, then released.
    public static func closedPort() throws -> Int {
        let (socket, port) = try listen()
        close(socket)
        return port
    }

    private func acceptLoop() {
        defer { finished.signal() }
        while !state.withLock({ $0.stopped }) {
            var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 50) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            let request = Self.readRequest(connection)
            let reply = state.withLock { s -> Reply in
                s.requests.append(request)
                return replies[min(s.requests.count, replies.count) - 1]
            }
            switch reply {
            case .hang:
                state.withLock { $0.held.append(connection) }
            case let .raw(text):
                Self.writeAll(connection, Array(text.utf8))
                close(connection)
            case let .bytes(bytes):
                Self.writeAll(connection, bytes)
                close(connection)
            case let .drip(head, body, chunk, interval):
                Self.writeAll(connection, Array(head.utf8))
                let bytes = Array(body.utf8)
                for start in stride(from: 0, to: bytes.count, by: max(1, chunk)) where !state.withLock({ $0.stopped }) {
                    guard Self.writeAll(connection, Array(bytes[start..<min(bytes.count, start + max(1, chunk))])) else { break }
                    Thread.sleep(forTimeInterval: interval)
                }
                close(connection)
            case let .padded(prefix, fill, count, suffix):
                let block = [UInt8](repeating: fill, count: 1 << 16)
                var left = count
                var open = Self.writeAll(connection, Array(prefix.utf8))
                while open, left > 0 {
                    open = Self.writeAll(connection, Array(block.prefix(left)))
                    left -= min(left, block.count)
                }
                if open { Self.writeAll(connection, Array(suffix.utf8)) }
                close(connection)
            }
        }
    }

    /// Reads the head, then Content-Length bytes of body.
    private static func readRequest(_ connection: Int32) -> String {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let head = headEnd(data) {
                let headText = String(decoding: data[..<head], as: UTF8.self).lowercased()
                let length = headText.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if data.count >= head + 4 + length { break }
            }
            let count = read(connection, &buffer, buffer.count)
            if count <= 0 { break }
            data.append(contentsOf: buffer[..<count])
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func headEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4) where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// False when the peer has gone (the client aborted the transfer).
    @discardableResult
    private static func writeAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    private static func listen() throws -> (Int32, Int) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && Glibc.listen(socket, 16) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else {
            close(socket)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }
}
