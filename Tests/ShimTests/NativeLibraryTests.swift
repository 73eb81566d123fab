import CCurl
import CZlib
import Testing

/// The system-library shims link and their typed wrappers reach the real libraries.
@Suite struct NativeLibraryTests {
    @Test func curlTypedSetoptWrappersWork() throws {
        #expect(curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK)
        let handle = try #require(curl_easy_init())
        defer { curl_easy_cleanup(handle) }
        #expect(memoir_curl_set_string(handle, CURLOPT_URL, "http://127.0.0.1:9/") == CURLE_OK)
        #expect(memoir_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, 500) == CURLE_OK)
        // Port 9 (discard) is closed on loopback: a refused connection, reported as such.
        let rc = curl_easy_perform(handle)
        #expect(rc == CURLE_COULDNT_CONNECT)
        #expect(String(cString: curl_easy_strerror(rc)).lowercased().contains("connect"))
    }

    @Test func zlibGzipRoundTrip() throws {
        let input = Array(String(repeating: "memoir ", count: 200).utf8)
        var compressed = [UInt8](repeating: 0, count: 4096)
        var stream = z_stream()
        #expect(memoir_deflate_init_gzip(&stream, 6) == Z_OK)
        var input2 = input
        let produced: Int = input2.withUnsafeMutableBufferPointer { src in
            compressed.withUnsafeMutableBufferPointer { dst in
                stream.next_in = src.baseAddress; stream.avail_in = UInt32(src.count)
                stream.next_out = dst.baseAddress; stream.avail_out = UInt32(dst.count)
                let rc = deflate(&stream, Z_FINISH)
                #expect(rc == Z_STREAM_END)
                return dst.count - Int(stream.avail_out)
            }
        }
        deflateEnd(&stream)
        #expect(compressed[0] == 0x1F && compressed[1] == 0x8B) // gzip magic
        var output = [UInt8](repeating: 0, count: input.count)
        var inflater = z_stream()
        #expect(memoir_inflate_init_gzip(&inflater) == Z_OK)
        compressed.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                inflater.next_in = src.baseAddress; inflater.avail_in = UInt32(produced)
                inflater.next_out = dst.baseAddress; inflater.avail_out = UInt32(dst.count)
                #expect(inflate(&inflater, Z_FINISH) == Z_STREAM_END)
            }
        }
        inflateEnd(&inflater)
        #expect(output == input)
    }
}
