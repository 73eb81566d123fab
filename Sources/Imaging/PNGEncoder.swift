import CZlib
import Foundation

/// 8-bit greyscale PNG, the smallest subset of the format a browser needs: one IHDR, one zlib IDAT with
/// filter 0 on every row, IEND. Enough for viewer slices without an image library.
public enum PNGEncoder {
    /// Why an image could not be encoded.
    public enum EncodingError: Error, Equatable, CustomStringConvertible {
        case badSize(width: Int, height: Int, pixels: Int)
        case compressionFailed(Int32)

        public var description: String {
            switch self {
            case let .badSize(w, h, n): "a \(w)×\(h) image needs \(w * h) pixels, got \(n)"
            case let .compressionFailed(code): "zlib compress2 failed with code \(code)"
            }
        }
    }

    /// The PNG file's bytes for `pixels` (row-major, top row first, one byte per pixel).
    public static func greyscale(width: Int, height: Int, pixels: [UInt8], level: Int32 = 6) throws -> Data {
        // 1...16384 keeps the byte counts far inside UInt32 and zlib's uLong.
        guard (1...16_384).contains(width), (1...16_384).contains(height), pixels.count == width * height else {
            throw EncodingError.badSize(width: width, height: height, pixels: pixels.count)
        }
        var raw = [UInt8]()
        raw.reserveCapacity((width + 1) * height)
        for row in 0..<height {
            raw.append(0)  // filter type None
            raw.append(contentsOf: pixels[(row * width)..<((row + 1) * width)])
        }
        var compressed = [UInt8](repeating: 0, count: Int(compressBound(uLong(raw.count))))
        var compressedCount = uLongf(compressed.count)
        let status = compressed.withUnsafeMutableBufferPointer { out in
            raw.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &compressedCount, input.baseAddress, uLong(input.count), level)
            }
        }
        guard status == Z_OK else { throw EncodingError.compressionFailed(status) }

        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, 0, 0, 0, 0])  // bit depth 8, greyscale, deflate, filter 0, no interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", Data(compressed[0..<Int(compressedCount)]), to: &png)
        appendChunk("IEND", Data(), to: &png)
        return png
    }

    private static func appendChunk(_ type: String, _ body: Data, to png: inout Data) {
        let typeBytes = Data(type.utf8)
        png.appendBigEndian(UInt32(body.count))
        png.append(typeBytes)
        png.append(body)
        var crc = crc32(0, nil, 0)
        for part in [typeBytes, body] where !part.isEmpty {
            crc = part.withUnsafeBytes { crc32(crc, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count)) }
        }
        png.appendBigEndian(UInt32(truncatingIfNeeded: crc))
    }
}

extension Data {
    fileprivate mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }
}
