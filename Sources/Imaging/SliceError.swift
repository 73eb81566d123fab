/// Why a slice could not be cut from a volume.
public enum SliceError: Error, Equatable, CustomStringConvertible {
    case indexOutOfRange(plane: SlicePlane, index: Int, count: Int)
    /// The affine does not map each voxel axis mostly onto a distinct world axis (too oblique to show as
    /// orthogonal planes without resampling).
    case obliqueGrid(String)

    public var description: String {
        switch self {
        case let .indexOutOfRange(plane, index, count): "\(plane.rawValue) slice \(index) is outside 0…\(count - 1)"
        case let .obliqueGrid(affine): "the volume's axes are too oblique to show as orthogonal slices (affine \(affine))"
        }
    }
}
