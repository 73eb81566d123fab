import Foundation

/// A memory-mapped safetensors file (https://github.com/huggingface/safetensors format):
/// an 8-byte little-endian header length, a JSON header, then a flat data section.
///
/// The header is validated completely at open, so a file whose header lies about sizes or
/// offsets is refused before any tensor is read.
public struct SafeTensorsFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let dtype: ScalarType
        public let shape: [Int]
        /// Byte range within the data section.
        public let range: Range<Int>
        public var elementCount: Int { shape.reduce(1, *) }
    }

    public let path: String
    public let entries: [String: Entry]
    public let metadata: [String: String]
    private let file: MappedFile
    private let dataStart: Int

    /// Largest header accepted; the reference implementation uses the same 100 MB bound.
    static let maximumHeaderLength: UInt64 = 100_000_000

    public init(path: String) throws {
        let file = try MappedFile(path: path)
        let size = file.bytes.count
        guard size >= 8 else { throw SafeTensorsError.tooSmall(path: path, bytes: size) }
        let headerLength = file.bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian
        guard headerLength <= Self.maximumHeaderLength, headerLength <= UInt64(size - 8) else {
            throw SafeTensorsError.headerOutOfBounds(path: path, headerLength: headerLength, fileSize: size)
        }
        let headerBytes = Data(file.bytes[8..<(8 + Int(headerLength))])
        let dataSize = size - 8 - Int(headerLength)
        (entries, metadata) = try Self.parseHeader(headerBytes, dataSize: dataSize, path: path)
        self.path = path
        self.file = file
        self.dataStart = 8 + Int(headerLength)
    }

    public var tensorNames: [String] { entries.keys.sorted() }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// Raw bytes of a tensor, valid while this value is alive.
    public func rawBytes(of entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[(dataStart + entry.range.lowerBound)..<(dataStart + entry.range.upperBound)])
    }

    /// Decodes a floating-point tensor to Float32, optionally checking its shape.
    public func tensor(_ name: String, shape expected: [Int]? = nil) throws -> Tensor {
        guard let entry = entries[name] else { throw SafeTensorsError.missingTensor(path: path, tensor: name) }
        if let expected, expected != entry.shape {
            throw SafeTensorsError.shapeMismatch(path: path, tensor: name, expected: expected, actual: entry.shape)
        }
        guard entry.dtype.isFloatingPoint else {
            throw SafeTensorsError.notFloatingPoint(path: path, tensor: name, dtype: entry.dtype.rawValue)
        }
        let raw = rawBytes(of: entry)
        let n = entry.elementCount
        var out = [Float](repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { dst in
            switch entry.dtype {
            case .f32:
                // Little-endian host: a straight copy (the data may be unaligned).
                if n > 0 { UnsafeMutableRawPointer(dst.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: n * 4) }
            case .f16:
                for i in 0..<n { dst[i] = HalfPrecision.floatFromHalf(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
            case .bf16:
                for i in 0..<n { dst[i] = HalfPrecision.floatFromBFloat16(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
            case .f64:
                for i in 0..<n { dst[i] = Float(raw.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)) }
            default:
                break  // unreachable: non-float dtypes are refused by the guard above
            }
        }
        return Tensor(shape: entry.shape, scalars: out)
    }

    // MARK: Header validation

    private static func parseHeader(_ bytes: Data, dataSize: Int, path: String) throws -> ([String: Entry], [String: String]) {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: bytes)
        } catch {
            throw SafeTensorsError.malformedHeader(path: path, reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let object = json as? [String: Any] else {
            throw SafeTensorsError.malformedHeader(path: path, reason: "top level is not a JSON object")
        }
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in object {
            if name == "__metadata__" {
                guard let dict = value as? [String: Any] else {
                    throw SafeTensorsError.malformedHeader(path: path, reason: "__metadata__ is not an object")
                }
                for (k, v) in dict { metadata[k] = v as? String ?? "\(v)" }
                continue
            }
            entries[name] = try parseEntry(name: name, value: value, dataSize: dataSize, path: path)
        }
        try checkNoOverlap(entries.values, path: path)
        return (entries, metadata)
    }

    private static func parseEntry(name: String, value: Any, dataSize: Int, path: String) throws -> Entry {
        func bad(_ reason: String) -> SafeTensorsError { .badEntry(path: path, tensor: ErrorEcho.clip(name), reason: reason) }
        guard let dict = value as? [String: Any] else { throw bad("entry is not an object") }
        guard let dtypeName = dict["dtype"] as? String else { throw bad("missing dtype") }
        guard let dtype = ScalarType(rawValue: dtypeName) else { throw bad("unsupported dtype \(ErrorEcho.clip(dtypeName))") }
        guard let shapeValues = dict["shape"] as? [Any] else { throw bad("missing shape") }
        guard shapeValues.count <= maximumRank else { throw bad("shape has \(shapeValues.count) dimensions, more than \(maximumRank)") }
        let shape = try shapeValues.map { v -> Int in
            guard let n = exactSize(v) else { throw bad("shape is not a list of non-negative integers below 2^53") }
            return n
        }
        guard let offsets = dict["data_offsets"] as? [Any], offsets.count == 2,
              let begin = exactSize(offsets[0]), let end = exactSize(offsets[1]), begin <= end
        else { throw bad("data_offsets must be [begin, end], integers with 0 ≤ begin ≤ end < 2^53") }
        let (elements, overflow) = shape.reduce((1, false)) { acc, d in
            let (p, o) = acc.0.multipliedReportingOverflow(by: d)
            return (p, acc.1 || o)
        }
        let (bytes, overflow2) = elements.multipliedReportingOverflow(by: dtype.byteWidth)
        guard !overflow, !overflow2, bytes == end - begin else {
            throw bad("shape \(shape) of \(dtypeName) needs \(overflow || overflow2 ? "too many" : String(bytes)) bytes but data_offsets span \(end - begin)")
        }
        guard end <= dataSize else { throw SafeTensorsError.truncated(path: path, tensor: ErrorEcho.clip(name), end: end, available: dataSize) }
        return Entry(name: name, dtype: dtype, shape: shape, range: begin..<end)
    }

    /// Most dimensions a tensor may declare; real checkpoints use at most 5.
    static let maximumRank = 16

    /// A JSON number that is an exact integer in 0...2^53, else nil. `NSNumber.intValue` would
    /// silently truncate 1.5 or wrap 1e30, so sizes and offsets are checked through `doubleValue`.
    static func exactSize(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let d = number.doubleValue
        guard d.isFinite, d >= 0, d <= 9_007_199_254_740_992, d == d.rounded(.towardZero) else { return nil }
        return Int(d)
    }

    private static func checkNoOverlap(_ entries: some Collection<Entry>, path: String) throws {
        let sorted = entries.filter { !$0.range.isEmpty }.sorted { $0.range.lowerBound < $1.range.lowerBound }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.range.upperBound > b.range.lowerBound {
            throw SafeTensorsError.overlapping(path: path, first: ErrorEcho.clip(a.name), second: ErrorEcho.clip(b.name))
        }
    }
}
