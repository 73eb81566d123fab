import Foundation
import Numerics

/// A 3-D NIfTI-1 image held as Float32 voxels (scl_slope/scl_inter applied) on a `VolumeGrid`.
public struct NIfTIVolume: Sendable {
    public var grid: VolumeGrid
    public var voxels: [Float]
    /// The on-disk type it was read as; writing defaults to float32.
    public var sourceDataType: NIfTIDataType
    public var description: String

    public init(grid: VolumeGrid, voxels: [Float], sourceDataType: NIfTIDataType = .float32, description: String = "") {
        precondition(voxels.count == grid.voxelCount, "\(voxels.count) voxels do not fill a \(grid) grid")
        self.grid = grid
        self.voxels = voxels
        self.sourceDataType = sourceDataType
        self.description = description
    }

    public var shape: (Int, Int, Int) { grid.shape }

    @inline(__always) public subscript(i: Int, j: Int, k: Int) -> Float {
        get { voxels[grid.index(i, j, k)] }
        set { voxels[grid.index(i, j, k)] = newValue }
    }

    // MARK: Reading

    /// Reads a `.nii` or `.nii.gz` (detected by content). Rejects NaN/∞ voxels unless `allowNonFinite`.
    public static func read(path: String, allowNonFinite: Bool = false) throws -> NIfTIVolume {
        let bytes = try fileBytes(path, headerOnly: false)
        let (header, bigEndian) = try NIfTIHeader.parse(bytes, path: path)
        let dims = header.dimensions
        guard dims.count >= 3, dims.dropFirst(3).allSatisfy({ $0 == 1 }) else {
            throw NIfTIError.badDimensions(path: path, reason: "dim = \(dims); Memoir reads single 3-D volumes")
        }
        let available = bytes.count - header.voxelOffset
        guard available >= header.dataByteCount else {
            throw NIfTIError.truncated(path: path, expectedBytes: header.dataByteCount, actualBytes: max(0, available))
        }
        let affine = header.affine
        guard affine.rows.allSatisfy(\.isFinite) else {
            throw NIfTIError.wrongGrid(path: path, reason: "the voxel-to-world affine (sform, qform or pixdim) holds NaN or infinite values")
        }
        var voxels = decode(bytes, header: header, bigEndian: bigEndian)
        // scl_slope 0 means "no scaling" in NIfTI-1.
        if header.sclSlope != 0, header.sclSlope.isFinite, header.sclInter.isFinite, header.sclSlope != 1 || header.sclInter != 0 {
            let slope = Float(header.sclSlope), inter = Float(header.sclInter)
            for n in voxels.indices { voxels[n] = voxels[n] * slope + inter }
        }
        if !allowNonFinite {
            let bad = voxels.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
            if bad > 0 { throw NIfTIError.nonFiniteVoxels(path: path, count: bad) }
        }
        let grid = VolumeGrid(shape: (dims[0], dims[1], dims[2]), affine: affine)
        return NIfTIVolume(grid: grid, voxels: voxels, sourceDataType: header.dataType, description: header.descrip)
    }

    /// Reads only the header (fast shape and grid checks without decoding the image).
    public static func readHeader(path: String) throws -> NIfTIHeader {
        let bytes = try fileBytes(path, headerOnly: true)
        return try NIfTIHeader.parse(bytes, path: path).header
    }

    /// Slack allowed after the image data in a gzip stream (some writers pad); anything longer is refused.
    static let trailingSlack = 1 << 20

    /// The file's bytes, inflated when gzip. Only regular files are opened (a FIFO would block). A gzip
    /// stream is inflated no further than its own header says it needs (vox_offset + image bytes, both
    /// bounded by `NIfTIHeader`), so a small bomb cannot inflate to gigabytes.
    private static func fileBytes(_ path: String, headerOnly: Bool) throws -> Data {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch let error as MappedFileError {
            throw NIfTIError.unreadable(path: path, reason: error.reason)
        }
        guard let base = file.bytes.baseAddress, file.bytes.count > 0 else { return Data() }
        let prefix = Data(file.bytes.prefix(2))
        guard GzipCodec.isGzip(prefix) else {
            // Wrap the mapping without copying; the deallocator keeps the MappedFile alive.
            return Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: file.bytes.count,
                        deallocator: .custom { _, _ in withExtendedLifetime(file) {} })
        }
        return try withExtendedLifetime(file) {
            let inflater = try GzipInflater(input: file.bytes, path: path)
            try inflater.inflate(upTo: NIfTIHeader.size)
            if headerOnly || inflater.output.count < NIfTIHeader.size {
                if !inflater.finished, inflater.output.count < NIfTIHeader.size {
                    throw NIfTIError.corruptCompression(path: path, reason: "stream ends early after \(inflater.output.count) decompressed bytes (truncated file?)")
                }
                return inflater.output
            }
            let header = try NIfTIHeader.parse(inflater.output, path: path).header
            // Both terms are bounded by NIfTIHeader.parse, so the sum cannot overflow.
            let needed = header.voxelOffset + header.dataByteCount
            try inflater.inflateToEnd(limit: needed + trailingSlack,
                                      limitReason: "while its header (dim, datatype, vox_offset) needs \(needed)")
            return inflater.output
        }
    }

    private static func decode(_ bytes: Data, header: NIfTIHeader, bigEndian: Bool) -> [Float] {
        let count = header.voxelCount
        var out = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.baseAddress! + header.voxelOffset
            func each<T: FixedWidthInteger>(_: T.Type, _ convert: (T) -> Float) {
                for n in 0..<count {
                    let v = base.loadUnaligned(fromByteOffset: n * MemoryLayout<T>.size, as: T.self)
                    out[n] = convert(bigEndian ? T(bigEndian: v) : T(littleEndian: v))
                }
            }
            switch header.dataType {
            case .uint8: each(UInt8.self) { Float($0) }
            case .int8: each(Int8.self) { Float($0) }
            case .int16: each(Int16.self) { Float($0) }
            case .uint16: each(UInt16.self) { Float($0) }
            case .int32: each(Int32.self) { Float($0) }
            case .uint32: each(UInt32.self) { Float($0) }
            case .float32: each(UInt32.self) { Float(bitPattern: $0) }
            case .float64: each(UInt64.self) { Float(Double(bitPattern: $0)) }
            }
        }
        return out
    }

    // MARK: Writing

    /// Writes atomically (temporary file + rename); `.gz` suffix selects gzip. Integer types are
    /// quantised with `slope`/`intercept` (stored as scl_slope/scl_inter) and clipped to the type's range.
    public func write(path: String, as type: NIfTIDataType = .float32, slope: Double = 1, intercept: Double = 0,
                      compressionLevel: Int32 = 6) throws {
        guard voxels.allSatisfy(\.isFinite) else {
            throw NIfTIError.writeFailed(path: path, reason: "volume holds NaN or infinite voxels")
        }
        var data = header(type: type, slope: slope, intercept: intercept).serialized()
        data.append(encode(type: type, slope: slope, intercept: intercept))
        if path.hasSuffix(".gz") { data = try GzipCodec.deflate(data, level: compressionLevel) }
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw NIfTIError.writeFailed(path: path, reason: error.localizedDescription)
        }
    }

    func header(type: NIfTIDataType, slope: Double, intercept: Double) -> NIfTIHeader {
        let a = grid.affine
        let (dx, dy, dz) = a.voxelSize
        let integer = type != .float32 && type != .float64
        return NIfTIHeader(
            dimensions: [shape.0, shape.1, shape.2], dataType: type, pixdim: [1, dx, dy, dz, 1, 1, 1, 1], voxelOffset: 352,
            sclSlope: integer ? slope : 1, sclInter: integer ? intercept : 0,
            // sform carries the exact affine (code 2, aligned); qform is left unset.
            qformCode: 0, sformCode: 2, quaternion: (0, 0, 0), qoffset: (a.rows[3], a.rows[7], a.rows[11]),
            srow: a.rows, xyztUnits: 2 | 8, descrip: String(description.prefix(79)))
    }

    private func encode(type: NIfTIDataType, slope: Double, intercept: Double) -> Data {
        var out = Data(count: voxels.count * type.bytesPerVoxel)
        let inverseSlope = 1 / slope
        out.withUnsafeMutableBytes { (raw: UnsafeMutableRawBufferPointer) in
            let base = raw.baseAddress!
            func each<T: FixedWidthInteger>(_: T.Type) {
                let lo = Double(T.min), hi = Double(T.max)
                for (n, v) in voxels.enumerated() {
                    let q = ((Double(v) - intercept) * inverseSlope).rounded()
                    base.storeBytes(of: T(min(max(q, lo), hi)).littleEndian, toByteOffset: n * MemoryLayout<T>.size, as: T.self)
                }
            }
            switch type {
            case .uint8: each(UInt8.self)
            case .int8: each(Int8.self)
            case .int16: each(Int16.self)
            case .uint16: each(UInt16.self)
            case .int32: each(Int32.self)
            case .uint32: each(UInt32.self)
            case .float32:
                for (n, v) in voxels.enumerated() { base.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: n * 4, as: UInt32.self) }
            case .float64:
                for (n, v) in voxels.enumerated() {
                    base.storeBytes(of: Double(v).bitPattern.littleEndian, toByteOffset: n * 8, as: UInt64.self)
                }
            }
        }
        return out
    }
}
