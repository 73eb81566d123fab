import CCurl
import Foundation

/// One HTTP exchange on fresh curl handles. Handles are never shared, so concurrent calls on
/// different threads are safe without locks (curl's documented threading rule).
enum CurlTransport {
    struct Request {
        var method: String // "GET" or "POST"
        var url: String
        var headers: [String]
        var body: Data?
        var connectTimeout: Double
        var readTimeout: Double
        var totalTimeout: Double
        /// Bytes of body accepted before the transfer is aborted (`Result.overflowed`).
        var maxReplyBytes: Int
    }

    struct Result {
        var code: CURLcode
        /// curl's detailed message (empty when `code` is CURLE_OK).
        var message: String
        var status: Int
        /// The body, except bytes of a 2xx answer that went to the stream consumer.
        var body: Data
        var elapsed: Double
        /// Body bytes received (streamed ones included), as they came off the wire: never decompressed.
        var received: Int = 0
        /// The body passed `maxReplyBytes` (or its Content-Length announced that it would) and was cut off.
        var overflowed = false
        /// The raw `Retry-After` header of the answer, if any.
        var retryAfter: String?
    }

    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// Performs `request`. With `stream`, the bytes of a 2xx body go to it as they arrive;
    /// returning false aborts the transfer (CURLE_WRITE_ERROR).
    static func perform(_ request: Request, stream: ((Data) -> Bool)? = nil) -> Result {
        let started = DispatchTime.now().uptimeNanoseconds
        func result(_ code: CURLcode, _ message: String, _ status: Int = 0, _ body: Data = Data()) -> Result {
            Result(code: code, message: message, status: status, body: body,
                   elapsed: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }
        guard initialized, let handle = curl_easy_init() else {
            return result(CURLE_FAILED_INIT, "curl could not be initialised")
        }
        defer { curl_easy_cleanup(handle) }

        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in request.headers { headerList = curl_slist_append(headerList, header) }
        defer { curl_slist_free_all(headerList) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }

        let sink = Sink(handle: handle, stream: stream, limit: request.maxReplyBytes)
        var rc = configure(handle, request, headers: headerList, errorBuffer: errorBuffer,
                           sink: Unmanaged.passUnretained(sink).toOpaque())
        var message = ""
        if rc == CURLE_OK {
            (rc, message) = withExtendedLifetime(sink) { run(handle, sink, readTimeout: request.readTimeout) }
        }
        var status = 0
        _ = memoir_curl_get_response_code(handle, &status)
        if rc != CURLE_OK, message.isEmpty {
            let detail = String(cString: errorBuffer)
            message = detail.isEmpty ? String(cString: curl_easy_strerror(rc)) : detail
        }
        var outcome = result(rc, message, status, sink.body)
        outcome.received = sink.received
        outcome.overflowed = sink.overflowed || rc == CURLE_FILESIZE_EXCEEDED
        outcome.retryAfter = memoir_curl_header_value(handle, "Retry-After").map { String(cString: $0) }
        return outcome
    }

    /// Drives the transfer through a multi handle so the read timeout is checked every
    /// 100 ms; curl's own low-speed check only looks once a second and overshoots by seconds.
    private static func run(_ handle: UnsafeMutableRawPointer, _ sink: Sink, readTimeout: Double) -> (CURLcode, String) {
        guard let multi = curl_multi_init() else { return (CURLE_OUT_OF_MEMORY, "curl_multi_init failed") }
        defer { curl_multi_cleanup(multi) }
        guard curl_multi_add_handle(multi, handle) == CURLM_OK else { return (CURLE_FAILED_INIT, "curl_multi_add_handle failed") }
        defer { curl_multi_remove_handle(multi, handle) }
        var running: Int32 = 1
        while true {
            let code = curl_multi_perform(multi, &running)
            guard code == CURLM_OK else { return (CURLE_FAILED_INIT, String(cString: curl_multi_strerror(code))) }
            if running == 0 { break }
            // Header lines are data too: a slow head must not look like silence (curl counts whole lines).
            let headerBytes = memoir_curl_header_bytes(handle)
            if headerBytes != sink.headerBytes {
                sink.headerBytes = headerBytes
                sink.lastActivity = DispatchTime.now().uptimeNanoseconds
            }
            let idle = Double(DispatchTime.now().uptimeNanoseconds - sink.lastActivity) / 1e9
            if idle >= readTimeout {
                return (CURLE_OPERATION_TIMEDOUT, String(format: "no data for %.1f s (read timeout %g s)", idle, readTimeout))
            }
            _ = curl_multi_poll(multi, nil, 0, 100, nil)
        }
        var queued: Int32 = 0
        while let info = curl_multi_info_read(multi, &queued) {
            if info.pointee.msg == CURLMSG_DONE { return (info.pointee.data.result, "") }
        }
        return (CURLE_OK, "")
    }

    private static func configure(_ handle: UnsafeMutableRawPointer, _ request: Request,
                                  headers: UnsafeMutablePointer<curl_slist>?, errorBuffer: UnsafeMutablePointer<CChar>,
                                  sink: UnsafeMutableRawPointer) -> CURLcode {
        let milliseconds = { (seconds: Double) in max(1, Int(seconds * 1000)) }
        var steps: [() -> CURLcode] = [
            { memoir_curl_set_error_buffer(handle, errorBuffer) },
            { memoir_curl_set_string(handle, CURLOPT_URL, request.url) },
            // No SIGALRM for timeouts: signals are process-wide and this runs on any thread.
            { memoir_curl_set_long(handle, CURLOPT_NOSIGNAL, 1) },
            // A proxy from the environment must not capture traffic meant for a local server.
            { memoir_curl_set_string(handle, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1") },
            // Only http(s), for the URL and for any redirect, so no answer can send curl to file:// or gopher://.
            { memoir_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https") },
            { memoir_curl_set_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") },
            // No Accept-Encoding is sent and nothing is inflated: a gzip bomb arrives as the small
            // compressed body it is (and fails to parse) instead of inflating past the reply cap.
            { memoir_curl_set_long(handle, CURLOPT_HTTP_CONTENT_DECODING, 0) },
            // A Content-Length over the cap is refused before its body is read.
            { memoir_curl_set_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, Int64(request.maxReplyBytes)) },
            { memoir_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout)) },
            { memoir_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(request.totalTimeout)) },
            { memoir_curl_set_slist(handle, CURLOPT_HTTPHEADER, headers) },
            { memoir_curl_set_pointer(handle, CURLOPT_WRITEDATA, sink) },
            {
                memoir_curl_set_write_callback(handle) { data, size, count, userdata in
                    let sink = Unmanaged<Sink>.fromOpaque(userdata!).takeUnretainedValue()
                    let length = size * count
                    guard let data, length > 0 else { return 0 }
                    return sink.receive(Data(bytes: data, count: length)) ? length : 0
                }
            },
        ]
        if request.method == "POST" {
            let body = request.body ?? Data()
            steps.append {
                body.withUnsafeBytes { raw in
                    memoir_curl_set_post_body(handle, raw.bindMemory(to: CChar.self).baseAddress, body.count)
                }
            }
        } else {
            steps.append { memoir_curl_set_long(handle, CURLOPT_HTTPGET, 1) }
        }
        for step in steps {
            let rc = step()
            if rc != CURLE_OK { return rc }
        }
        return CURLE_OK
    }

    /// Receives body bytes inside curl's write callback, never holding more than `limit` of them.
    private final class Sink {
        let handle: UnsafeMutableRawPointer
        let stream: ((Data) -> Bool)?
        let limit: Int
        var body = Data()
        private(set) var received = 0
        private(set) var overflowed = false
        /// An error body only feeds a one-line excerpt: the rest is counted, not kept.
        static let errorBodyKept = 64 * 1024
        /// When the last bytes (body or header) arrived, or the transfer began: the read timeout's clock.
        var lastActivity = DispatchTime.now().uptimeNanoseconds
        /// Response header bytes seen by the last check of the read timeout.
        var headerBytes = 0
        private var status: Int?

        init(handle: UnsafeMutableRawPointer, stream: ((Data) -> Bool)?, limit: Int) {
            self.handle = handle
            self.stream = stream
            self.limit = limit
        }

        func receive(_ data: Data) -> Bool {
            lastActivity = DispatchTime.now().uptimeNanoseconds
            if status == nil {
                var code = 0
                _ = memoir_curl_get_response_code(handle, &code)
                status = code
            }
            received += data.count
            if received > limit {
                overflowed = true
                return false // aborts the transfer: the reply is refused, not truncated
            }
            let success = status.map { (200..<300).contains($0) } ?? false
            // Only a 2xx body is a stream; of an error body the start is kept for the message.
            if let stream, success { return stream(data) }
            if success { body.append(data) } else if body.count < Self.errorBodyKept { body.append(data.prefix(Self.errorBodyKept - body.count)) }
            return true
        }
    }
}
