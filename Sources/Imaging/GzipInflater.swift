import CZlib
import Foundation

/// Incremental gzip inflation of an in-memory (usually memory-mapped) buffer. A caller can inflate
/// just the first bytes, derive from them how much output is legitimate (a NIfTI header's dimensions)
/// and refuse a stream that inflates past it, instead of inflating a decompression bomb to the end.
final class GzipInflater {
    let path: String
    private(set) var output = Data()
    /// True once zlib has seen the end of the gzip member (and checked its CRC and length).
    private(set) var finished = false
    private let input: UnsafeRawBufferPointer
    private var consumed = 0
    // zlib's state points back at its z_stream, so the stream must not move: heap-allocate it.
    private let stream: UnsafeMutablePointer<z_stream>

    /// `input` must stay valid for the inflater's lifetime.
    init(input: UnsafeRawBufferPointer, path: String) throws {
        self.input = input
        self.path = path
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard memoir_inflate_init_gzip(stream) == Z_OK else {
            stream.deallocate()
            throw NIfTIError.corruptCompression(path: path, reason: "zlib could not start")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Inflates until `output` holds at least `count` bytes or the stream ends (never past `count`).
    func inflate(upTo count: Int) throws {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while output.count < count, !finished {
            if stream.pointee.avail_in == 0 {
                guard consumed < input.count else { return }  // input exhausted; caller decides if that is an error
                // avail_in is 32-bit: feed at most 1 GiB at a time.
                let piece = min(input.count - consumed, 1 << 30)
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self)) + consumed
                stream.pointee.avail_in = uInt(piece)
                consumed += piece
            }
            let room = min(chunk.count, count - output.count)
            let status: Int32 = chunk.withUnsafeMutableBufferPointer { out in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = uInt(room)
                return CZlib.inflate(stream, Z_NO_FLUSH)
            }
            output.append(chunk, count: room - Int(stream.pointee.avail_out))
            switch status {
            case Z_STREAM_END: finished = true
            case Z_OK, Z_BUF_ERROR: break  // Z_BUF_ERROR: needs more input, fed on the next turn
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw NIfTIError.corruptCompression(path: path, reason: message)
            }
        }
    }

    /// Inflates the rest of the stream, refusing it once the output would exceed `limit` bytes.
    func inflateToEnd(limit: Int, limitReason: String) throws {
        // One byte past the limit tells a stream that ends exactly at it from one that goes on.
        try inflate(upTo: limit + 1)
        if output.count > limit {
            throw NIfTIError.tooLarge(path: path, reason: "gzip stream inflates to more than \(limit) bytes, \(limitReason) (a decompression bomb?)")
        }
        guard finished else {
            throw NIfTIError.corruptCompression(path: path, reason: "stream ends early after \(output.count) decompressed bytes (truncated file?)")
        }
    }
}
