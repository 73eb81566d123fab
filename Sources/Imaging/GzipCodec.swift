import CZlib
import Foundation

/// Streaming gzip through zlib: files are inflated chunk by chunk so a truncated or corrupt
/// stream is reported, not silently padded.
public enum GzipCodec {
    /// True when the bytes start with the gzip magic number.
    public static func isGzip(_ prefix: Data) -> Bool {
        prefix.count >= 2 && prefix[prefix.startIndex] == 0x1f && prefix[prefix.startIndex + 1] == 0x8b
    }

    /// Inflates a whole gzip file, reading it in 1 MiB chunks. `sizeHint` preallocates output.
    public static func inflateFile(at path: String, sizeHint: Int = 0) throws -> Data {
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw NIfTIError.unreadable(path: path, reason: "no such file or permission denied")
        }
        defer { try? input.close() }
        var stream = z_stream()
        guard memoir_inflate_init_gzip(&stream) == Z_OK else {
            throw NIfTIError.corruptCompression(path: path, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        output.reserveCapacity(max(sizeHint, 1 << 20))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var finished = false
        while !finished {
            let piece = input.readData(ofLength: 1 << 20)
            if piece.isEmpty { break }
            try piece.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                stream.next_in = UnsafeMutablePointer(mutating: raw.bindMemory(to: Bytef.self).baseAddress!)
                stream.avail_in = uInt(raw.count)
                repeat {
                    let status: Int32 = chunk.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = uInt(out.count)
                        return inflate(&stream, Z_NO_FLUSH)
                    }
                    let produced = chunk.count - Int(stream.avail_out)
                    output.append(chunk, count: produced)
                    switch status {
                    case Z_STREAM_END:
                        finished = true
                    case Z_OK, Z_BUF_ERROR:
                        break
                    default:
                        let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                        throw NIfTIError.corruptCompression(path: path, reason: message)
                    }
                } while !finished && (stream.avail_in > 0 || stream.avail_out == 0)
            }
        }
        guard finished else {
            throw NIfTIError.corruptCompression(path: path, reason: "stream ends early after \(output.count) decompressed bytes (truncated file?)")
        }
        return output
    }

    /// Deflates bytes into a gzip member. Level 1–9; low levels are much faster on noisy volumes.
    public static func deflate(_ data: Data, level: Int32 = 6) throws -> Data {
        var stream = z_stream()
        guard memoir_deflate_init_gzip(&stream, level) == Z_OK else {
            throw NIfTIError.writeFailed(path: "<memory>", reason: "zlib deflate could not start")
        }
        defer { deflateEnd(&stream) }
        var output = Data()
        output.reserveCapacity(Int(deflateBound(&stream, uLong(data.count))))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: raw.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(raw.count)
            var status: Int32 = Z_OK
            while status != Z_STREAM_END {
                status = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    return CZlib.deflate(&stream, Z_FINISH)
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw NIfTIError.writeFailed(path: "<memory>", reason: "zlib deflate status \(status)")
                }
                output.append(chunk, count: chunk.count - Int(stream.avail_out))
            }
        }
        return output
    }
}
