/// A voxel lattice in world space: its shape and voxel-to-world affine.
public struct VolumeGrid: Sendable, Equatable, CustomStringConvertible {
    public var shape: (Int, Int, Int)
    public var affine: AffineTransform

    public init(shape: (Int, Int, Int), affine: AffineTransform) {
        self.shape = shape
        self.affine = affine
    }

    public static func == (l: VolumeGrid, r: VolumeGrid) -> Bool { l.shape == r.shape && l.affine == r.affine }

    /// FSL's MNI152 2 mm grid (91×109×91), the grid the fused encoder expects.
    public static let mni2mm = VolumeGrid(shape: (91, 109, 91), affine: .diagonal((-2, 2, 2), origin: (90, -126, -72)))

    public var voxelCount: Int { shape.0 * shape.1 * shape.2 }

    /// Linear index of voxel (i, j, k) with i fastest, as NIfTI stores data.
    @inline(__always) public func index(_ i: Int, _ j: Int, _ k: Int) -> Int { i + shape.0 * (j + shape.1 * k) }

    /// Same shape and an affine within `tolerance` mm.
    public func matches(_ other: VolumeGrid, tolerance: Double = 1e-3) -> Bool {
        shape == other.shape && affine.isClose(to: other.affine, tolerance: tolerance)
    }

    public var description: String { "\(shape.0)×\(shape.1)×\(shape.2) affine \(affine)" }
}
