import Foundation

/// The fields of a NIfTI-1 header (348 bytes) that Memoir uses, parsed with byte-order detection.
public struct NIfTIHeader: Sendable, Equatable {
    public var dimensions: [Int]            // dim[1...dim[0]]
    public var dataType: NIfTIDataType
    public var pixdim: [Double]             // pixdim[0...7]; pixdim[0] is qfac
    public var voxelOffset: Int
    public var sclSlope: Double
    public var sclInter: Double
    public var qformCode: Int16
    public var sformCode: Int16
    public var quaternion: (b: Double, c: Double, d: Double)
    public var qoffset: (x: Double, y: Double, z: Double)
    public var srow: [Double]               // 12 values: srow_x, srow_y, srow_z
    public var xyztUnits: UInt8
    public var descrip: String

    public static let size = 348
    /// Most voxels accepted (2^26, e.g. 406³; a 0.5 mm MNI volume has 58 M): bounds memory before allocation.
    public static let maximumVoxelCount = 1 << 26
    /// Largest vox_offset accepted (16 MiB of header extensions): far beyond real files, well inside Int.
    public static let maximumVoxelOffset = 1 << 24

    public static func == (l: NIfTIHeader, r: NIfTIHeader) -> Bool {
        l.dimensions == r.dimensions && l.dataType == r.dataType && l.pixdim == r.pixdim && l.voxelOffset == r.voxelOffset
            && l.sclSlope == r.sclSlope && l.sclInter == r.sclInter && l.qformCode == r.qformCode && l.sformCode == r.sformCode
            && l.quaternion == r.quaternion && l.qoffset == r.qoffset && l.srow == r.srow && l.descrip == r.descrip
    }

    public var voxelCount: Int { dimensions.reduce(1, *) }
    public var dataByteCount: Int { voxelCount * dataType.bytesPerVoxel }

    /// The voxel-to-world affine: sform when set, else qform, else a pixdim-scaled base affine (as nibabel).
    public var affine: AffineTransform {
        if sformCode > 0 { return AffineTransform(rows: srow) }
        let dx = pixdim[1], dy = pixdim[2], dz = pixdim[3]
        if qformCode > 0 {
            let (b, c, d) = quaternion
            let a = max(0, 1 - (b * b + c * c + d * d)).squareRoot()
            let qfac: Double = pixdim[0] < 0 ? -1 : 1
            let r = [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
                     2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
                     2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b]
            return AffineTransform(rows: [r[0] * dx, r[1] * dy, r[2] * dz * qfac, qoffset.x,
                                          r[3] * dx, r[4] * dy, r[5] * dz * qfac, qoffset.y,
                                          r[6] * dx, r[7] * dy, r[8] * dz * qfac, qoffset.z])
        }
        // Neither form set: follow nibabel's (Analyze-style) base affine, x flipped and centred on the volume,
        // so files read the same here as in the Python tools most users check them with.
        let n = dimensions + [1, 1, 1]
        return .diagonal((-dx, dy, dz), origin: (dx * Double(n[0] - 1) / 2, -dy * Double(n[1] - 1) / 2, -dz * Double(n[2] - 1) / 2))
    }

    /// Parses the first 348 bytes; `path` only labels errors.
    public static func parse(_ bytes: Data, path: String) throws -> (header: NIfTIHeader, bigEndian: Bool) {
        guard bytes.count >= size else {
            throw NIfTIError.notNIfTI(path: path, reason: "only \(bytes.count) bytes, a NIfTI-1 header needs 348")
        }
        let reader = ByteReader(bytes: bytes)
        var bigEndian = false
        let sizeofHdr = reader.int32(0, bigEndian: false)
        if sizeofHdr != 348 {
            guard reader.int32(0, bigEndian: true) == 348 else {
                // The value itself is not echoed: for a non-NIfTI file it is the file's first four bytes.
                throw NIfTIError.notNIfTI(path: path, reason: "sizeof_hdr is not 348 in either byte order")
            }
            bigEndian = true
        }
        let magic = bytes.subdata(in: bytes.startIndex + 344..<bytes.startIndex + 348)
        guard magic.starts(with: Array("n+1".utf8)) || magic.starts(with: Array("ni1".utf8)) else {
            throw NIfTIError.notNIfTI(path: path, reason: "magic is not n+1 (NIfTI-2 and Analyze are not supported)")
        }
        guard magic.starts(with: Array("n+1".utf8)) else {
            throw NIfTIError.notNIfTI(path: path, reason: "header/image pairs (.hdr/.img) are not supported; convert to .nii")
        }
        let rank = Int(reader.int16(40, bigEndian: bigEndian))
        guard (1...7).contains(rank) else {
            throw NIfTIError.badDimensions(path: path, reason: "dim[0] = \(rank), expected 1–7")
        }
        let dims = (1...rank).map { Int(reader.int16(40 + 2 * $0, bigEndian: bigEndian)) }
        guard dims.allSatisfy({ $0 > 0 }) else {
            throw NIfTIError.badDimensions(path: path, reason: "dim = \(dims) has a non-positive size")
        }
        // Checked product: seven Int16 sizes can overflow Int (32767^7 > 2^63).
        var voxels = 1, overflow = false
        for d in dims where !overflow { (voxels, overflow) = voxels.multipliedReportingOverflow(by: d) }
        guard !overflow, voxels <= maximumVoxelCount else {
            throw NIfTIError.tooLarge(path: path, reason: "dim = \(dims) holds more than \(maximumVoxelCount) voxels, the most Memoir reads")
        }
        let code = reader.int16(70, bigEndian: bigEndian)
        guard let type = NIfTIDataType(rawValue: code) else { throw NIfTIError.unsupportedDataType(path: path, code: code) }
        let bitpix = Int(reader.int16(72, bigEndian: bigEndian))
        guard bitpix == type.bytesPerVoxel * 8 else {
            throw NIfTIError.notNIfTI(path: path, reason: "bitpix \(bitpix) disagrees with datatype \(type.name)")
        }
        let pixdim = (0..<8).map { Double(reader.float32(76 + 4 * $0, bigEndian: bigEndian)) }
        let voxOffset = Double(reader.float32(108, bigEndian: bigEndian))
        // Bounded before Int(voxOffset): a float ≥ 2^63 (or NaN) would trap in the conversion.
        guard voxOffset.isFinite, voxOffset >= 348 else {
            throw NIfTIError.notNIfTI(path: path, reason: "vox_offset \(voxOffset) points inside the header")
        }
        guard voxOffset <= Double(maximumVoxelOffset) else {
            throw NIfTIError.tooLarge(path: path, reason: "vox_offset \(voxOffset) is beyond the \(maximumVoxelOffset)-byte limit")
        }
        guard voxOffset == voxOffset.rounded() else {
            throw NIfTIError.notNIfTI(path: path, reason: "vox_offset \(voxOffset) is not a whole number of bytes")
        }
        let descripBytes = bytes.subdata(in: bytes.startIndex + 148..<bytes.startIndex + 228).prefix { $0 != 0 }
        let header = NIfTIHeader(
            dimensions: dims, dataType: type, pixdim: pixdim, voxelOffset: Int(voxOffset),
            sclSlope: Double(reader.float32(112, bigEndian: bigEndian)), sclInter: Double(reader.float32(116, bigEndian: bigEndian)),
            qformCode: reader.int16(252, bigEndian: bigEndian), sformCode: reader.int16(254, bigEndian: bigEndian),
            quaternion: (Double(reader.float32(256, bigEndian: bigEndian)), Double(reader.float32(260, bigEndian: bigEndian)),
                         Double(reader.float32(264, bigEndian: bigEndian))),
            qoffset: (Double(reader.float32(268, bigEndian: bigEndian)), Double(reader.float32(272, bigEndian: bigEndian)),
                      Double(reader.float32(276, bigEndian: bigEndian))),
            srow: (0..<12).map { Double(reader.float32(280 + 4 * $0, bigEndian: bigEndian)) },
            xyztUnits: bytes[bytes.startIndex + 123], descrip: String(decoding: descripBytes, as: UTF8.self))
        return (header, bigEndian)
    }

    /// Serialises as a little-endian single-file NIfTI-1 header plus the 4-byte empty extension block.
    public func serialized() -> Data {
        var out = Data(count: 352)
        func put<T: FixedWidthInteger>(_ value: T, _ offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { out.replaceSubrange(offset..<offset + MemoryLayout<T>.size, with: $0) }
        }
        func putFloat(_ value: Double, _ offset: Int) { put(Float(value).bitPattern, offset) }
        put(Int32(348), 0)
        put(Int16(dimensions.count), 40)
        for (i, d) in dimensions.enumerated() { put(Int16(d), 42 + 2 * i) }
        for i in dimensions.count..<7 { put(Int16(1), 42 + 2 * i) }
        put(dataType.rawValue, 70)
        put(Int16(dataType.bytesPerVoxel * 8), 72)
        for (i, p) in pixdim.prefix(8).enumerated() { putFloat(p, 76 + 4 * i) }
        putFloat(Double(voxelOffset), 108)
        putFloat(sclSlope, 112)
        putFloat(sclInter, 116)
        out[123] = xyztUnits
        let text = Array(descrip.utf8.prefix(79))
        out.replaceSubrange(148..<148 + text.count, with: text)
        put(qformCode, 252)
        put(sformCode, 254)
        putFloat(quaternion.b, 256); putFloat(quaternion.c, 260); putFloat(quaternion.d, 264)
        putFloat(qoffset.x, 268); putFloat(qoffset.y, 272); putFloat(qoffset.z, 276)
        for (i, s) in srow.enumerated() { putFloat(s, 280 + 4 * i) }
        out.replaceSubrange(344..<348, with: Array("n+1\0".utf8))
        return out
    }
}

/// Reads fixed-width fields at byte offsets in either byte order.
struct ByteReader {
    let bytes: Data

    func load<T: FixedWidthInteger>(_ offset: Int, as: T.Type, bigEndian: Bool) -> T {
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { dst in
            bytes.copyBytes(to: dst, from: bytes.startIndex + offset..<bytes.startIndex + offset + MemoryLayout<T>.size)
        }
        return bigEndian ? T(bigEndian: value) : T(littleEndian: value)
    }

    func int16(_ offset: Int, bigEndian: Bool) -> Int16 { load(offset, as: Int16.self, bigEndian: bigEndian) }
    func int32(_ offset: Int, bigEndian: Bool) -> Int32 { load(offset, as: Int32.self, bigEndian: bigEndian) }
    func float32(_ offset: Int, bigEndian: Bool) -> Float { Float(bitPattern: load(offset, as: UInt32.self, bigEndian: bigEndian)) }
}
