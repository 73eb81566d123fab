import Cohort
import Foundation

/// Seeded mutations of a valid input: byte-level for binary formats, token-level for JSON and CSV.
/// Same seed, same mutations, on every machine (`SeededGenerator` is SplitMix64).
public struct FuzzMutator {
    var rng: SeededGenerator

    public init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    // MARK: Binary

    /// Field offsets of a NIfTI-1 header (sizeof_hdr, dim, datatype, bitpix, pixdim, vox_offset, scl_*,
    /// q/sform codes, quatern, qoffset, srow): where a targeted write finds the interesting checks.
    static let niftiFields: [(offset: Int, width: Int, float: Bool)] =
        [(0, 4, false)] + (0..<8).map { (40 + 2 * $0, 2, false) } + [(70, 2, false), (72, 2, false)]
        + (0..<8).map { (76 + 4 * $0, 4, true) } + [(108, 4, true), (112, 4, true), (116, 4, true), (252, 2, false), (254, 2, false)]
        + (0..<18).map { (256 + 4 * $0, 4, true) }

    static let interestingFloats: [Float] = [0, -0.0, 1, -1, 2, 348, 352, 0.5, 1e-45, 1e19, 9.3e18, -1e19, 3e38, -3e38,
                                             .infinity, -.infinity, .nan, 1e-20, 65536, 2_147_483_648]
    static let interestingIntegers: [Int64] = [0, 1, -1, 2, 3, 4, 7, 8, 16, 64, 127, 128, 255, 256, 348, 512, 768, 1024,
                                               32767, -32768, 65535, Int64(Int32.max), Int64(Int32.min), 1 << 32, 1 << 40,
                                               Int64.max, Int64.min]

    /// 1–4 mutations of `input`; `fields` (byte offset, width, is-float) aim some writes at header fields.
    public mutating func mutateBinary(_ input: Data, fields: [(offset: Int, width: Int, float: Bool)] = []) -> Data {
        var bytes = [UInt8](input)
        for _ in 0...below(4) {
            switch below(10) {
            case 0, 1:  // flip bits
                if !bytes.isEmpty { for _ in 0...below(8) { bytes[below(bytes.count)] ^= UInt8(1) << UInt8(below(8)) } }
            case 2:  // random bytes
                if !bytes.isEmpty { for _ in 0...below(8) { bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) } }
            case 3, 4, 5:  // interesting value into a known field (either byte order)
                guard let field = fields.isEmpty ? nil : pick(fields), field.offset + field.width <= bytes.count else { break }
                var value: [UInt8]
                if field.float {
                    value = withUnsafeBytes(of: pick(Self.interestingFloats).bitPattern.littleEndian) { Array($0) }
                } else {
                    value = withUnsafeBytes(of: pick(Self.interestingIntegers).littleEndian) { Array($0.prefix(field.width)) }
                }
                if below(4) == 0 { value.reverse() }
                bytes.replaceSubrange(field.offset..<field.offset + field.width, with: value)
            case 6:  // truncate
                bytes.removeLast(below(bytes.count + 1))
            case 7:  // append junk
                bytes += (0..<below(64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 8:  // delete a span
                if !bytes.isEmpty {
                    let start = below(bytes.count)
                    bytes.removeSubrange(start..<min(bytes.count, start + 1 + below(16)))
                }
            default:  // interesting 4- or 8-byte integer anywhere
                let value = withUnsafeBytes(of: pick(Self.interestingIntegers).littleEndian) { Array($0.prefix(below(2) == 0 ? 4 : 8)) }
                if bytes.count >= value.count {
                    let at = below(bytes.count - value.count + 1)
                    bytes.replaceSubrange(at..<at + value.count, with: value)
                }
            }
        }
        return Data(bytes)
    }

    // MARK: Text

    static let jsonValues = ["0", "-1", "1", "2", "3", "4", "1e12", "1e30", "1e308", "-1e308", "2.5", "1099511627776",
                             "9223372036854775807", "9223372036854775808", "18446744073709551616", "-9223372036854775809",
                             "null", "true", "false", "\"\"", "\"x\"", "[]", "{}", "[1e12,1,1]", "[1,1,1,1e12]",
                             "[1099511627776,1,1]", "[-1]", "[0,0]", "[[]]", "{\"a\":1}", "\"F32\"", "\"I64\"", "0.0", "1e-400",
                             String(repeating: "[", count: 600) + String(repeating: "]", count: 600)]

    /// Token-level JSON edits: replace a value, break the syntax, repeat or drop parts.
    public mutating func mutateJSON(_ input: Data) -> Data {
        var text = String(decoding: input, as: UTF8.self)
        for _ in 0...below(3) {
            let scalars = Array(text.unicodeScalars)
            // Value positions: after ':' or '[' or ','.
            let starts = scalars.indices.filter { ":[,".unicodeScalars.contains(scalars[$0]) }
            switch below(6) {
            case 0, 1, 2:
                guard let s = starts.isEmpty ? nil : pick(starts) else { break }
                // Replace up to the next delimiter with an interesting value.
                var end = s + 1
                while end < scalars.count, !",]}".unicodeScalars.contains(scalars[end]) { end += 1 }
                if scalars[s] == ":" || below(2) == 0 {
                    text = String(String.UnicodeScalarView(scalars[...s])) + pick(Self.jsonValues) + String(String.UnicodeScalarView(scalars[end...]))
                }
            case 3:
                text = mutateBinary(Data(text.utf8)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            case 4:  // duplicate a span (repeated keys, nested copies)
                guard !scalars.isEmpty else { break }
                let a = below(scalars.count), b = min(scalars.count, a + below(80))
                text = String(String.UnicodeScalarView(scalars[..<b])) + String(String.UnicodeScalarView(scalars[a...]))
            default:
                text = String(text.prefix(below(text.count + 1)))
            }
        }
        return Data(text.utf8)
    }

    static let csvFields = ["", "NA", "na", "CN", "MCI", "Dementia", "nan", "inf", "-inf", "1e400", "-0", "1e-400", "3/4",
                            "5/5", "F", "M", "x", "\"", "\"\"", "\"a,b\"", "\"a\nb\"", "\r", "ÿ", "é", "../../etc/passwd",
                            "/dev/zero", "999999999999999999999", "9.3e18", "0x1p3", "  42  ", String(repeating: "9", count: 400),
                            String(repeating: "A", count: 10_000), "PTID", ",,,"]

    /// Field-level CSV edits: replace a field, add or drop separators and lines.
    public mutating func mutateCSV(_ input: Data) -> Data {
        var lines = String(decoding: input, as: UTF8.self).components(separatedBy: "\n")
        for _ in 0...below(3) {
            guard !lines.isEmpty else { lines = [""]; continue }
            let l = below(lines.count)
            var fields = lines[l].components(separatedBy: ",")
            switch below(7) {
            case 0, 1, 2: fields[below(fields.count)] = pick(Self.csvFields)
            case 3: fields.insert(pick(Self.csvFields), at: below(fields.count + 1))
            case 4: if fields.count > 1 { fields.remove(at: below(fields.count)) }
            case 5: lines.insert(lines[l], at: l)  // duplicate row
            default:
                lines[l] = mutateBinary(Data(lines[l].utf8)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
                continue
            }
            lines[l] = fields.joined(separator: ",")
        }
        return Data(lines.joined(separator: "\n").utf8)
    }
}
