import Numerics

/// Resamples a volume onto another grid through both affines (world millimetres in common).
public enum Resampler {
    public enum Interpolation: Sendable { case trilinear, nearest }

    /// Values outside the source field of view become `fill`. A singular source affine maps the volume
    /// onto a plane or line, covering no target voxel, so every voxel is `fill` (`conform` refuses it first).
    public static func resample(_ volume: NIfTIVolume, to target: VolumeGrid, interpolation: Interpolation = .trilinear,
                                fill: Float = 0) -> NIfTIVolume {
        guard let sourceInverse = volume.grid.affine.inverted() else {
            return NIfTIVolume(grid: target, voxels: [Float](repeating: fill, count: target.voxelCount),
                               sourceDataType: volume.sourceDataType, description: volume.description)
        }
        return resample(volume, to: target, voxelMap: sourceInverse.composed(with: target.affine), interpolation: interpolation, fill: fill)
    }

    /// Resamples with an explicit map from target voxel indices to source voxel indices.
    public static func resample(_ volume: NIfTIVolume, to target: VolumeGrid, voxelMap m: AffineTransform,
                                interpolation: Interpolation = .trilinear, fill: Float = 0) -> NIfTIVolume {
        let (sx, sy, sz) = volume.grid.shape
        let (tx, ty, tz) = target.shape
        var out = [Float](repeating: fill, count: target.voxelCount)
        let r = m.rows
        volume.voxels.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { outBuffer in
            let dst = SharedBuffer(outBuffer.baseAddress!)
            let source = SharedBuffer(src.baseAddress!)
            Parallel.forEachChunk(count: tz) { slices in
                for k in slices {
                    for j in 0..<ty {
                        // Source coordinates move linearly along i: start + i·step.
                        let x0 = r[1] * Double(j) + r[2] * Double(k) + r[3]
                        let y0 = r[5] * Double(j) + r[6] * Double(k) + r[7]
                        let z0 = r[9] * Double(j) + r[10] * Double(k) + r[11]
                        let rowBase = tx * (j + ty * k)
                        for i in 0..<tx {
                            let x = x0 + r[0] * Double(i), y = y0 + r[4] * Double(i), z = z0 + r[8] * Double(i)
                            switch interpolation {
                            case .nearest:
                                // Bounds first, in Double: Int() of a huge or NaN coordinate would trap.
                                guard x > -0.5, y > -0.5, z > -0.5, x < Double(sx) - 0.5, y < Double(sy) - 0.5, z < Double(sz) - 0.5 else { continue }
                                let xi = min(Int(x.rounded()), sx - 1), yi = min(Int(y.rounded()), sy - 1), zi = min(Int(z.rounded()), sz - 1)
                                dst.base[rowBase + i] = source.base[xi + sx * (yi + sy * zi)]
                            case .trilinear:
                                // Tolerate half a voxel outside so edge voxels interpolate against their neighbour.
                                guard x > -0.5, y > -0.5, z > -0.5, x < Double(sx) - 0.5, y < Double(sy) - 0.5, z < Double(sz) - 0.5 else { continue }
                                let xf = x.rounded(.down), yf = y.rounded(.down), zf = z.rounded(.down)
                                let fx = Float(x - xf), fy = Float(y - yf), fz = Float(z - zf)
                                let xa = min(max(Int(xf), 0), sx - 1), xb = min(max(Int(xf) + 1, 0), sx - 1)
                                let ya = min(max(Int(yf), 0), sy - 1), yb = min(max(Int(yf) + 1, 0), sy - 1)
                                let za = min(max(Int(zf), 0), sz - 1), zb = min(max(Int(zf) + 1, 0), sz - 1)
                                @inline(__always) func at(_ a: Int, _ b: Int, _ c: Int) -> Float { source.base[a + sx * (b + sy * c)] }
                                let c00 = at(xa, ya, za) + (at(xb, ya, za) - at(xa, ya, za)) * fx
                                let c10 = at(xa, yb, za) + (at(xb, yb, za) - at(xa, yb, za)) * fx
                                let c01 = at(xa, ya, zb) + (at(xb, ya, zb) - at(xa, ya, zb)) * fx
                                let c11 = at(xa, yb, zb) + (at(xb, yb, zb) - at(xa, yb, zb)) * fx
                                let c0 = c00 + (c10 - c00) * fy, c1 = c01 + (c11 - c01) * fy
                                dst.base[rowBase + i] = c0 + (c1 - c0) * fz
                            }
                        }
                    }
                }
            }
        } }
        return NIfTIVolume(grid: target, voxels: out, sourceDataType: volume.sourceDataType, description: volume.description)
    }

    /// Brings a volume onto `target`: unchanged when already there, resampled when the field of view
    /// overlaps, refused (with the reason) otherwise.
    public static func conform(_ volume: NIfTIVolume, to target: VolumeGrid, path: String) throws -> NIfTIVolume {
        if volume.grid.matches(target) { return volume }
        let affine = volume.grid.affine
        guard affine.rows.allSatisfy(\.isFinite) else {
            throw NIfTIError.wrongGrid(path: path, reason: "the affine holds NaN or infinite values")
        }
        let (vx, vy, vz) = affine.voxelSize
        guard [vx, vy, vz].allSatisfy({ $0 > 0.2 && $0 < 10 }) else {
            throw NIfTIError.wrongGrid(path: path, reason: "voxel size \(vx)×\(vy)×\(vz) mm is implausible; expected an image registered to MNI space")
        }
        // Columns of plausible length can still be parallel (a singular sform): the voxel volume
        // |det| must be a fair share of vx·vy·vz, or the inverse map is meaningless.
        guard abs(affine.determinant) > 1e-3 * vx * vy * vz, affine.inverted() != nil else {
            throw NIfTIError.wrongGrid(path: path, reason: "the affine is singular (its axes are parallel or nearly so); expected an image registered to MNI space")
        }
        let out = resample(volume, to: target)
        let covered = out.voxels.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        guard covered > target.voxelCount / 10 else {
            throw NIfTIError.wrongGrid(path: path, reason: "grid \(volume.grid) barely overlaps the MNI 2 mm grid; register the image to MNI space first")
        }
        return out
    }
}
