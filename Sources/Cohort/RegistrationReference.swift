import Foundation
import Imaging

/// What the registration check compares volumes with: the MNI152 2009a T1, its brain mask and white-matter
/// probability on the 2 mm grid, from the templates Scripts/setup.sh installs (the same files as `AnatomyTemplates`).
public struct RegistrationReference: Sendable {
    public static let requiredFiles = ["mni_icbm152_t1.nii.gz", "mni_icbm152_gm.nii.gz", "mni_icbm152_wm.nii.gz"]
    public let t1: [Float]
    public let wm: [Float]
    public let brainMask: [Bool]

    public init(directory: String = AnatomyTemplates.defaultDirectory) throws {
        let missing = Self.requiredFiles.filter { !FileManager.default.fileExists(atPath: directory + "/" + $0) }
        guard missing.isEmpty else {
            throw CohortError.templates("the registration check needs the MNI152 templates, missing in \(directory): \(missing.joined(separator: ", ")); run `bash Scripts/setup.sh` (or set MEMOIR_TEMPLATES_DIR)")
        }
        let grid = VolumeGrid.mni2mm
        func load(_ name: String) throws -> [Float] {
            let v: NIfTIVolume
            do { v = try NIfTIVolume.read(path: directory + "/" + name) } catch let e as NIfTIError {
                throw CohortError.templates("template \(name): \(e)")
            }
            // 1 mm → 2 mm by trilinear sampling, without the anti-alias smoothing AnatomyTemplates applies: a
            // whole-brain correlation does not notice the aliasing, and smoothing 1 mm volumes is most of the cost.
            return v.grid.matches(grid) ? v.voxels : Resampler.resample(v, to: grid).voxels
        }
        let t1 = try load("mni_icbm152_t1.nii.gz")
        let gm = try load("mni_icbm152_gm.nii.gz"), wm = try load("mni_icbm152_wm.nii.gz")
        let gmMax = max(1, gm.max() ?? 1), wmMax = max(1, wm.max() ?? 1)
        let tissue = zip(gm, wm).map { $0 / gmMax + $1 / wmMax }
        let smooth = VolumeFilters.gaussianSmooth(tissue, shape: grid.shape, sigma: 1.0)
        self.t1 = t1
        self.wm = wm.map { $0 / wmMax }
        brainMask = AnatomyTemplates.fillHoles(smooth.map { $0 > 0.25 }, shape: grid.shape)
    }

    /// Scores a volume already conformed to the MNI 2 mm grid. FA is compared with white matter, T1 with the T1.
    public func score(_ volume: NIfTIVolume, isFA: Bool) -> RegistrationScore {
        let voxels = volume.voxels
        let top = IntensityNormalizer.percentile(voxels, 0.995)
        // Foreground: above 10 % of the robust maximum for T1; FA inside the brain is rarely below 0.05.
        let cut: Float = isFA ? 0.05 : top * 0.1
        var both = 0, fg = 0, mask = 0
        for n in voxels.indices {
            let f = top > 0 && voxels[n] > cut, m = brainMask[n]
            if f { fg += 1 }
            if m { mask += 1 }
            if f && m { both += 1 }
        }
        let dice = fg + mask > 0 ? 2 * Double(both) / Double(fg + mask) : 0
        return RegistrationScore(overlap: dice, correlation: Self.pearson(voxels, isFA ? wm : t1), isFA: isFA)
    }

    static func pearson(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(min(a.count, b.count))
        guard n > 1 else { return 0 }
        var sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
        for i in 0..<min(a.count, b.count) {
            let x = Double(a[i]), y = Double(b[i])
            sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y
        }
        let cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n
        guard va > 0, vb > 0 else { return 0 }
        return cov / (va * vb).squareRoot()
    }
}
