import Answering
import Foundation
import Imaging
import TestSupport
import Testing

/// LLMClient against a server that misbehaves on purpose (issue #15): throttling, trickling, oversized and
/// compressed replies, echoed secrets and non-http URLs. Each must end in bounded time and memory with an
/// error that says what happened and holds no secret.
@Suite struct LLMClientHostileReplyTests {
    let request = ChatRequest(messages: [.user("Is this MCI?")], maxTokens: 8)
    static let completion = LLMClientFaultTests.completion
    static let completionHead = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
        + #"{"choices":[{"index":0,"message":{"role":"assistant","content":""#

    func client(_ baseURL: String, attempts: Int = 3, readTimeout: Double = 1, totalTimeout: Double = 10, maxTotalDelay: Double = 30,
                maxReplyBytes: Int = LLMConfiguration.defaultMaxReplyBytes, apiKey: String? = nil) -> LLMClient {
        LLMClient(configuration: LLMConfiguration(
            baseURL: baseURL, apiKey: apiKey, connectTimeout: 1, readTimeout: readTimeout, totalTimeout: totalTimeout,
            retry: RetryPolicy(maxAttempts: attempts, initialDelay: 0.05, maxDelay: 0.2, maxTotalDelay: maxTotalDelay),
            maxReplyBytes: maxReplyBytes))
    }

    func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = Date()
        let value = try body()
        return (value, Date().timeIntervalSince(start))
    }

    func failure(_ body: () throws -> Void) -> (LLMError?, Double) {
        timed { () -> LLMError? in
            do { try body() } catch { return error as? LLMError }
            return nil
        }
    }

    // MARK: 429 / 503 and Retry-After

    @Test func rateLimitWithRetryAfterSecondsIsWaitedOut() throws {
        let server = try FakeLLMServer([.json(429, headers: ["Retry-After: 1"], #"{"error":{"message":"slow down"}}"#),
                                        .json(200, Self.completion)])
        defer { server.stop() }
        let (response, seconds) = try timed { try client(server.baseURL).complete(request) }
        #expect(response.text == "hi" && response.attempts == 2)
        #expect(seconds >= 0.9 && seconds < 4, "waited \(seconds) s for Retry-After: 1 (back-off alone is 0.05 s)")
        #expect(server.receivedRequests.count == 2)
    }

    @Test func retryAfterPastTheBudgetGivesUpAtOnce() throws {
        let server = try FakeLLMServer([.json(503, headers: ["Retry-After: 3600"], #"{"error":{"message":"Loading model"}}"#)])
        defer { server.stop() }
        let (error, seconds) = failure { _ = try client(server.baseURL, maxTotalDelay: 2).complete(request) }
        guard case let .throttled(_, status, asked, budget, attempts)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(status == 503 && asked == 3600 && budget == 2 && attempts == 1)
        #expect("\(error!)".contains("retry after 3600.0 s"))
        #expect(seconds < 1.5, "slept \(seconds) s although the server asked for an hour")
        #expect(server.receivedRequests.count == 1)
    }

    @Test func waitsTogetherNeverPassTheTotalBound() throws {
        // Each Retry-After fits alone; the second would pass the 1.5 s total.
        let server = try FakeLLMServer([.json(429, headers: ["Retry-After: 1"], #"{"error":"busy"}"#)])
        defer { server.stop() }
        let (error, seconds) = failure { _ = try client(server.baseURL, attempts: 5, maxTotalDelay: 1.5).stream(request) }
        guard case let .throttled(_, 429, _, budget, attempts)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(attempts == 2 && budget < 1)
        #expect(seconds < 3)
    }

    @Test func retryAfterValuesAreParsed() {
        let now = Date(timeIntervalSince1970: 1_445_412_480) // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryPolicy.retryAfterSeconds("120", now: now) == 120)
        #expect(RetryPolicy.retryAfterSeconds(" 0 ", now: now) == 0)
        #expect(RetryPolicy.retryAfterSeconds("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == 30)
        #expect(RetryPolicy.retryAfterSeconds("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == 0) // already past
        #expect(RetryPolicy.retryAfterSeconds("99999999999999999999", now: now) == .greatestFiniteMagnitude)
        for garbage in ["", "-5", "1.5", "soon", "Wed, 99 Foo 2015"] {
            #expect(RetryPolicy.retryAfterSeconds(garbage, now: now) == nil, "\(garbage)")
        }
    }

    // MARK: Slow and large replies

    @Test func slowDripIsCutByTheTotalTimeout() throws {
        // One byte every 0.2 s: the 1 s read timeout never fires, the 1.5 s total timeout does.
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
        let server = try FakeLLMServer([.drip(head: head, body: Self.completion, chunk: 1, interval: 0.2)])
        defer { server.stop() }
        let (error, seconds) = failure { _ = try client(server.baseURL, attempts: 1, totalTimeout: 1.5).complete(request) }
        guard case .timedOut? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(seconds >= 1.4 && seconds < 3.5, "took \(seconds) s")
    }

    @Test func fiftyMegabyteReplyIsRefusedAtTheCap() throws {
        let server = try FakeLLMServer([.padded(prefix: Self.completionHead, fill: UInt8(ascii: "a"), count: 50 << 20,
                                                suffix: #""},"finish_reason":"stop"}]}"#)])
        defer { server.stop() }
        let peakBefore = ResidentMemory.resetPeak()
        let (error, seconds) = failure { _ = try client(server.baseURL).complete(request) }
        let peakGrowth = ResidentMemory.peak() - peakBefore
        guard case let .replyTooLarge(_, limit, received)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(limit == 4 << 20 && received > limit && received <= limit + (1 << 20), "received \(received)")
        #expect("\(error!)".contains("MEMOIR_LLM_MAX_REPLY_BYTES"))
        #expect(seconds < 5)
        // Process-wide, so other suites' work adds to it; a client that buffered the reply would add 50 MB.
        #expect(peakGrowth < 40 << 20, "peak RSS grew by \(peakGrowth >> 20) MiB")
        print("50 MB reply: refused after \(received) bytes in \(String(format: "%.3f", seconds)) s, peak RSS +\(peakGrowth >> 10) KiB")
        #expect(server.receivedRequests.count == 1) // not retried
    }

    @Test func announcedOversizedReplyIsRefusedBeforeItsBody() throws {
        let server = try FakeLLMServer([.padded(prefix: "HTTP/1.1 200 OK\r\nContent-Length: \(50 << 20)\r\nConnection: close\r\n\r\n",
                                                fill: 32, count: 50 << 20, suffix: "")])
        defer { server.stop() }
        let (error, seconds) = failure { _ = try client(server.baseURL, maxReplyBytes: 1 << 20).complete(request) }
        guard case let .replyTooLarge(_, limit, received)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(limit == 1 << 20 && received == 0)
        #expect(seconds < 2)
    }

    @Test func oversizedStreamIsRefusedNotTruncated() throws {
        let event = "data: " + LLMClientFaultTests.delta(String(repeating: "b", count: 1000)) + "\n\n"
        let server = try FakeLLMServer([.padded(prefix: "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                                                + String(repeating: event, count: 100), fill: 32, count: 8 << 20, suffix: "data: [DONE]\n\n")])
        defer { server.stop() }
        var delivered = 0
        let (error, _) = failure { _ = try client(server.baseURL, maxReplyBytes: 1 << 20).stream(request) { delivered += $0.count } }
        guard case .replyTooLarge? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(delivered == 100_000)
    }

    @Test func hugeErrorBodyGivesAShortMessage() throws {
        let server = try FakeLLMServer([.padded(prefix: "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\n",
                                                fill: UInt8(ascii: "e"), count: 2 << 20, suffix: "")])
        defer { server.stop() }
        let (error, _) = failure { _ = try client(server.baseURL, attempts: 1).complete(request) }
        guard case let .http(_, 500, body, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(body.count <= 301 && "\(error!)".count < 500)
    }

    @Test func gzipBombIsNeverInflated() throws {
        // 64 MiB of zeros in ~64 KiB of gzip, sent unasked with Content-Encoding: gzip.
        let bomb = try GzipCodec.deflate(Data(count: 64 << 20), level: 9)
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: \(bomb.count)\r\n"
            + "Connection: close\r\n\r\n"
        let server = try FakeLLMServer([.bytes(Array(head.utf8) + Array(bomb))])
        defer { server.stop() }
        let peakBefore = ResidentMemory.resetPeak()
        let (error, seconds) = failure { _ = try client(server.baseURL, maxReplyBytes: 1 << 20).complete(request) }
        let peakGrowth = ResidentMemory.peak() - peakBefore
        // Inflated, it would pass the 1 MiB cap; as sent, it is a small body that is not JSON.
        guard case .malformedResponse? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(!(server.receivedRequests.first ?? "").lowercased().contains("accept-encoding"))
        #expect(seconds < 2)
        print("gzip bomb (\(bomb.count) bytes → 64 MiB): refused in \(String(format: "%.3f", seconds)) s, peak RSS +\(peakGrowth >> 10) KiB")
    }

    // MARK: Secrets and schemes

    @Test func echoedKeyNeverAppearsInTheError() throws {
        let key = "sk-live-0123456789abcdef"
        let echo = #"{"error":{"message":"invalid api key \#(key); you sent Authorization: Bearer \#(key) and Bearer other-token-42"}}"#
        // The excerpt is cut at 300 characters, here in the middle of the key.
        let cut = String(repeating: "x", count: 290) + key + " trailing"
        let server = try FakeLLMServer([.json(401, echo), .json(200, #"{"error":{"message":"bad key \#(key)"}}"#),
                                        .json(200, cut), .json(500, echo)])
        defer { server.stop() }
        let llm = client(server.baseURL, attempts: 1, apiKey: key)
        var descriptions: [String] = []
        for _ in 0..<3 {
            let (error, _) = failure { _ = try llm.complete(request) }
            descriptions.append(error.map { "\($0)" } ?? "no error")
        }
        let (streamed, _) = failure { _ = try llm.stream(request) }
        descriptions.append(streamed.map { "\($0)" } ?? "no error")
        for description in descriptions {
            #expect(!description.contains(key.prefix(6)), "\(description)")
            #expect(!description.contains("other-token-42"), "\(description)")
        }
        #expect(descriptions[0].contains("HTTP 401") && descriptions[0].contains("[redacted]"))
        #expect(descriptions[1].contains("bad key [redacted]"))
        #expect(descriptions[2].contains("malformed response"))
        #expect(descriptions[3].contains("HTTP 500"))
        // The key did reach the server: redaction is on the way back only.
        #expect(server.receivedRequests.first?.contains("Authorization: Bearer \(key)") == true)
    }

    @Test func fileURLIsRefusedByTheTransportToo() throws {
        let folder = try TemporaryFolder()
        try Self.completion.write(toFile: folder.file("v1/chat/completions"), atomically: false, encoding: .utf8, creatingFolder: true)
        // Configured directly (LLMConfiguration.fromEnvironment already refuses it), curl itself must refuse file://.
        let (error, _) = failure { _ = try client("file://" + folder.path, attempts: 3).complete(request) }
        guard case let .invalidRequest(reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(reason.contains("file://"))
        // A redirect is not followed anywhere, let alone to file://.
        let server = try FakeLLMServer([.raw("HTTP/1.1 302 Found\r\nLocation: file://\(folder.path)/v1/chat/completions\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n")])
        defer { server.stop() }
        let (redirected, _) = failure { _ = try client(server.baseURL, attempts: 1).complete(request) }
        guard case .http(_, 302, _, _)? = redirected else { Issue.record("got \(String(describing: redirected))"); return }
    }

    @Test func replyCapComesFromTheEnvironment() throws {
        let configured = try LLMConfiguration.fromEnvironment(baseURL: "http://127.0.0.1:1", ["MEMOIR_LLM_MAX_REPLY_BYTES": "65536"])
        #expect(configured.maxReplyBytes == 65536)
        #expect(try LLMConfiguration.fromEnvironment(baseURL: "http://127.0.0.1:1", [:]).maxReplyBytes == 4 << 20)
        for bad in ["0", "-1", "lots", "99999999999999"] {
            #expect(throws: LLMError.self, "\(bad)") {
                _ = try LLMConfiguration.fromEnvironment(baseURL: "http://127.0.0.1:1", ["MEMOIR_LLM_MAX_REPLY_BYTES": bad])
            }
        }
    }
}

private extension String {
    func write(toFile path: String, atomically: Bool, encoding: String.Encoding, creatingFolder: Bool) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try write(toFile: path, atomically: atomically, encoding: encoding)
    }
}
