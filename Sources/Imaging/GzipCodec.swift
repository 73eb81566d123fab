import CZlib
import Foundation
import Numerics

/// Streaming gzip through zlib: files are inflated chunk by chunk (`GzipInflater`) so a truncated
/// or corrupt stream is reported, not silently padded, and an oversized one is stopped early.
public enum GzipCodec {
    /// True when the bytes start with the gzip magic number.
    public static func isGzip(_ prefix: Data) -> Bool {
        prefix.count >= 2 && prefix[prefix.startIndex] == 0x1f && prefix[prefix.startIndex + 1] == 0x8b
    }

    /// Most bytes `inflateFile` produces unless told otherwise: more than any single volume Memoir reads.
    public static let maximumInflatedBytes = 1 << 30

    /// Inflates a whole gzip file, refusing output beyond `maxBytes` (a decompression bomb) and
    /// paths that are not regular files (a FIFO would block, a directory cannot be read).
    public static func inflateFile(at path: String, maxBytes: Int = maximumInflatedBytes) throws -> Data {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch let error as MappedFileError {
            throw NIfTIError.unreadable(path: path, reason: error.reason)
        }
        let inflater = try GzipInflater(input: file.bytes, path: path)
        try withExtendedLifetime(file) {
            try inflater.inflateToEnd(limit: maxBytes, limitReason: "the limit for one file")
        }
        return inflater.output
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
