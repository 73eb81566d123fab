import Foundation

extension SegmentStates {
    /// The values as little-endian IEEE half floats: how caches keep them (half the bytes; scores move
    /// by ~1e-3, well inside what ranks cases).
    public func halfPrecisionData() -> Data {
        var data = Data(count: values.count * 2)
        data.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() { raw.storeBytes(of: Float16(v).bitPattern.littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
        }
        return data
    }

    /// Reads `halfPrecisionData()` back; nil when the byte count is not `rows × width` halves.
    public init?(halfPrecisionData data: Data, rows: Int, width: Int) {
        guard rows > 0, width > 0, data.count == rows * width * 2 else { return nil }
        let values = data.withUnsafeBytes { raw in
            (0..<(rows * width)).map { Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)))) }
        }
        self.init(rows: rows, width: width, values: values)
    }

    /// The same states rounded to half precision, so freshly computed and cached states score alike.
    public func roundedToHalfPrecision() -> SegmentStates {
        SegmentStates(rows: rows, width: width, values: values.map { Float(Float16($0)) })
    }
}
