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
    }

    struct Result {
        var code: CURLcode
        /// curl's detailed message (empty when `code` is CURLE_OK).
        var message: String
        var status: Int
        /// The body, except bytes of a 2xx answer that went to the stream consumer.
        var body: Data
        var elapsed: Double
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

        let sink = Sink(handle: handle, stream: stream)
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
        return result(rc, message, status, sink.body)
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

    /// Receives body bytes inside curl's write callback.
    private final class Sink {
        let handle: UnsafeMutableRawPointer
        let stream: ((Data) -> Bool)?
        var body = Data()
        /// When the last body bytes arrived (or the transfer began): the read timeout's clock.
        var lastActivity = DispatchTime.now().uptimeNanoseconds
        private var status: Int?

        init(handle: UnsafeMutableRawPointer, stream: ((Data) -> Bool)?) {
            self.handle = handle
            self.stream = stream
        }

        func receive(_ data: Data) -> Bool {
            lastActivity = DispatchTime.now().uptimeNanoseconds
            if status == nil {
                var code = 0
                _ = memoir_curl_get_response_code(handle, &code)
                status = code
            }
            // Only a 2xx body is a stream; an error body is kept whole for the message.
            if let stream, let status, (200..<300).contains(status) { return stream(data) }
            body.append(data)
            return true
        }
    }
}
