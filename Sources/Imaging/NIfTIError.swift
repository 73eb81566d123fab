/// Why a NIfTI file could not be read or written. Every case names the file.
public enum NIfTIError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case notNIfTI(path: String, reason: String)
    case unsupportedDataType(path: String, code: Int16)
    case badDimensions(path: String, reason: String)
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    case corruptCompression(path: String, reason: String)
    case nonFiniteVoxels(path: String, count: Int)
    case wrongGrid(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    /// Sizes beyond what Memoir reads (voxel count, vox_offset, decompressed bytes).
    case tooLarge(path: String, reason: String)
    /// Readable but not a usable image: empty, constant or absurd intensities (`VolumeQuality`).
    case implausibleImage(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read: \(reason)"
        case let .notNIfTI(path, reason): "\(path): not a NIfTI-1 file: \(reason)"
        case let .unsupportedDataType(path, code): "\(path): unsupported NIfTI datatype code \(code) (supported: uint8, int8, int16, uint16, int32, uint32, float32, float64)"
        case let .badDimensions(path, reason): "\(path): bad dimensions: \(reason)"
        case let .truncated(path, expected, actual): "\(path): header promises \(expected) bytes of image data but the file holds \(actual)"
        case let .corruptCompression(path, reason): "\(path): corrupt gzip stream: \(reason)"
        case let .nonFiniteVoxels(path, count): "\(path): \(count) voxels are NaN or infinite"
        case let .wrongGrid(path, reason): "\(path): \(reason)"
        case let .writeFailed(path, reason): "\(path): cannot write: \(reason)"
        case let .tooLarge(path, reason): "\(path): too large: \(reason)"
        case let .implausibleImage(path, reason): "\(path): not a usable image: \(reason)"
        }
    }
}
