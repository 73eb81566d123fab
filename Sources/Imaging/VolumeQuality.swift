/// A gate for images that read cleanly but cannot be a scan: all zero, one constant value, NaN/∞ or
/// intensities far beyond any MR scale. Such volumes still encode to confident predictions, so they
/// are refused at ingest with the file named.
public enum VolumeQuality {
    /// Largest |intensity| accepted. Raw scanner output stays below 65 536 (16-bit) and float exports
    /// below ~1e5; 1e7 leaves margin while refusing sentinel fills like 3e38.
    public static let maximumMagnitude: Float = 1e7
    /// Fewest non-zero voxels, as a fraction of the volume, for anything that could hold a head.
    public static let minimumNonZeroFraction = 0.001

    /// Throws `NIfTIError.implausibleImage` naming `path` when the volume is not a plausible image.
    public static func check(_ volume: NIfTIVolume, path: String) throws {
        func refuse(_ reason: String) -> NIfTIError { .implausibleImage(path: path, reason: reason) }
        guard let first = volume.voxels.first else { throw refuse("it holds no voxels") }
        var nonFinite = 0, nonZero = 0, largest: Float = 0, varies = false
        for v in volume.voxels {
            guard v.isFinite else { nonFinite += 1; continue }
            if v != 0 { nonZero += 1 }
            largest = max(largest, abs(v))
            if v != first { varies = true }
        }
        if nonFinite > 0 { throw refuse("\(nonFinite) voxels are NaN or infinite") }
        if nonZero == 0 { throw refuse("every voxel is 0 (an empty image)") }
        if !varies { throw refuse("every voxel has the same value \(first) (a constant image)") }
        if largest > maximumMagnitude {
            throw refuse("intensities reach \(largest), beyond any MR scale (limit \(maximumMagnitude))")
        }
        if Double(nonZero) < minimumNonZeroFraction * Double(volume.voxels.count) {
            throw refuse("only \(nonZero) of \(volume.voxels.count) voxels are non-zero (a nearly empty image)")
        }
    }
}
