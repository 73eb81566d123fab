import Foundation
import Imaging

/// Volumes moved off MNI space for the registration-check tests.
public enum RegistrationFixtures {
    /// Writes `source` with its content moved `millimetres` along y (whole 2 mm voxels) under the same affine:
    /// what an unregistered, scanner-space scan looks like once resampled onto the MNI grid.
    public static func shiftedCopy(of source: String, to destination: String, millimetres: Double) throws {
        let volume = try NIfTIVolume.read(path: source)
        let voxels = millimetres / 2
        let map = AffineTransform(rows: [1, 0, 0, 0, 0, 1, 0, voxels, 0, 0, 1, 0])
        try Resampler.resample(volume, to: volume.grid, voxelMap: map).write(path: destination)
    }

    /// Writes `source` with its affine's origin moved `millimetres` along x: a header that places the head
    /// elsewhere in world space (scanner coordinates), which ingest resamples onto the MNI grid as found.
    public static func scannerSpaceCopy(of source: String, to destination: String, millimetres: Double) throws {
        var volume = try NIfTIVolume.read(path: source)
        var rows = volume.grid.affine.rows
        rows[3] += millimetres
        volume.grid = VolumeGrid(shape: volume.grid.shape, affine: AffineTransform(rows: rows))
        try volume.write(path: destination)
    }
}
