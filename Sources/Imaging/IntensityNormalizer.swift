/// Puts intensities on a common scale inside a brain mask, as the encoder was trained.
public enum IntensityNormalizer {
    /// Voxels above `fraction` of the robust maximum (99.5th percentile): a cheap brain/head mask for
    /// skull-stripped or template-registered images.
    public static func thresholdMask(_ volume: NIfTIVolume, fraction: Float = 0.1) -> [Bool] {
        let top = percentile(volume.voxels, 0.995)
        return volume.voxels.map { $0 > top * fraction }
    }

    /// z-scores voxels inside `mask` (mean 0, SD 1 over the mask); voxels outside become 0.
    public static func zScore(_ volume: NIfTIVolume, mask: [Bool]) -> NIfTIVolume {
        precondition(mask.count == volume.voxels.count, "mask and volume sizes differ")
        var sum = 0.0, sumSquares = 0.0, n = 0.0
        for (v, inside) in zip(volume.voxels, mask) where inside {
            sum += Double(v); sumSquares += Double(v) * Double(v); n += 1
        }
        var out = volume
        guard n > 1 else { out.voxels = [Float](repeating: 0, count: volume.voxels.count); return out }
        let mean = sum / n
        let sd = max((sumSquares / n - mean * mean).squareRoot(), 1e-6)
        let m = Float(mean), inv = Float(1 / sd)
        for i in out.voxels.indices { out.voxels[i] = mask[i] ? (out.voxels[i] - m) * inv : 0 }
        return out
    }

    /// The q-quantile (0…1) of the values, by partial sort of a sample for speed on large volumes.
    public static func percentile(_ values: [Float], _ q: Double) -> Float {
        guard !values.isEmpty else { return 0 }
        let stride = max(1, values.count / 200_000)
        var sample = Swift.stride(from: 0, to: values.count, by: stride).map { values[$0] }
        sample.sort()
        let position = min(sample.count - 1, max(0, Int((Double(sample.count - 1) * q).rounded())))
        return sample[position]
    }
}
