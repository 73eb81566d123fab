/// Cuts orthogonal slices from a volume in display orientation, from its affine rather than from an
/// assumed storage order: each voxel axis is matched to the world (RAS+) axis it mostly runs along, so an
/// LAS volume (FSL's MNI152) and an RAS one show the same picture with the same edge labels.
public struct VolumeSlicer: Sendable {
    public let volume: NIfTIVolume
    public let convention: DisplayConvention
    /// For each world axis x, y, z: the voxel axis that runs along it and whether the voxel index grows
    /// towards +world (R, A, S).
    private let axes: [(voxel: Int, increasing: Bool)]

    public init(volume: NIfTIVolume, convention: DisplayConvention = .radiological) throws {
        self.volume = volume
        self.convention = convention
        let rows = volume.grid.affine.rows
        var axes: [(voxel: Int, increasing: Bool)] = []
        for world in 0..<3 {
            let column = (0..<3).max { abs(rows[world * 4 + $0]) < abs(rows[world * 4 + $1]) } ?? world
            axes.append((column, rows[world * 4 + column] > 0))
        }
        guard Set(axes.map(\.voxel)).count == 3 else { throw SliceError.obliqueGrid(volume.grid.affine.description) }
        self.axes = axes
    }

    /// Voxels along a world axis.
    private func extent(world: Int) -> Int {
        let s = volume.shape
        return [s.0, s.1, s.2][axes[world].voxel]
    }

    public func count(_ plane: SlicePlane) -> Int { extent(world: plane.fixedWorldAxis) }

    /// The middle slice, where a viewer starts.
    public func middle(_ plane: SlicePlane) -> Int { count(plane) / 2 }

    /// The two in-plane world axes, horizontal then vertical, each with whether display position grows
    /// towards +world.
    private func layout(_ plane: SlicePlane) -> (h: (world: Int, towardsPlus: Bool), v: (world: Int, towardsPlus: Bool)) {
        // x grows leftwards on screen in radiological display (patient's right on the viewer's left).
        let x = (world: 0, towardsPlus: convention == .neurological)
        switch plane {
        case .axial: return (x, (1, false))          // anterior at the top
        case .coronal: return (x, (2, false))        // superior at the top
        case .sagittal: return ((1, false), (2, false))  // anterior on the left, superior at the top
        }
    }

    public func orientation(_ plane: SlicePlane) -> SliceOrientation {
        let names = [("L", "R"), ("P", "A"), ("I", "S")]  // (−, +) per world axis
        let (h, v) = layout(plane)
        let hNames = names[h.world], vNames = names[v.world]
        let planes: [SlicePlane] = [.sagittal, .coronal, .axial]  // the plane that holds each world axis fixed
        return SliceOrientation(left: h.towardsPlus ? hNames.0 : hNames.1, right: h.towardsPlus ? hNames.1 : hNames.0,
                                top: v.towardsPlus ? vNames.0 : vNames.1, bottom: v.towardsPlus ? vNames.1 : vNames.0,
                                convention: convention,
                                horizontal: .init(plane: planes[h.world], reversed: !h.towardsPlus),
                                vertical: .init(plane: planes[v.world], reversed: !v.towardsPlus))
    }

    /// Slice `index` of `plane` (0 = the inferior, posterior or left-most slice) through `window`.
    public func slice(_ plane: SlicePlane, index: Int, window: IntensityWindow) throws -> GreySlice {
        let count = count(plane)
        guard (0..<count).contains(index) else { throw SliceError.indexOutOfRange(plane: plane, index: index, count: count) }
        let (h, v) = layout(plane)
        let width = extent(world: h.world), height = extent(world: v.world)
        // Voxel index along each world axis for a display position: a position counted towards +world is
        // the voxel index itself when the voxel axis also grows towards +world, else mirrored.
        func voxel(world: Int, position: Int, towardsPlus: Bool) -> Int {
            let n = extent(world: world)
            let plusward = towardsPlus ? position : n - 1 - position
            return axes[world].increasing ? plusward : n - 1 - plusward
        }
        let fixed = (world: plane.fixedWorldAxis, voxel: voxel(world: plane.fixedWorldAxis, position: index, towardsPlus: true))
        var pixels = [UInt8](repeating: 0, count: width * height)
        var ijk = [0, 0, 0]
        ijk[axes[fixed.world].voxel] = fixed.voxel
        for row in 0..<height {
            ijk[axes[v.world].voxel] = voxel(world: v.world, position: row, towardsPlus: v.towardsPlus)
            for column in 0..<width {
                ijk[axes[h.world].voxel] = voxel(world: h.world, position: column, towardsPlus: h.towardsPlus)
                pixels[row * width + column] = window.grey(volume[ijk[0], ijk[1], ijk[2]])
            }
        }
        return GreySlice(plane: plane, index: index, count: count, width: width, height: height, pixels: pixels,
                         orientation: orientation(plane), window: window)
    }
}
