import Foundation
import Imaging
import Numerics

/// Template anatomy on the MNI 2 mm grid, derived once per run from the MNI152 2009a templates (nilearn)
/// and the AAL / JHU atlases (Debian mricron-data), which Scripts/setup.sh links into `directory`.
public struct AnatomyTemplates: Sendable {
    public static let requiredFiles = ["mni_icbm152_t1.nii.gz", "mni_icbm152_gm.nii.gz", "mni_icbm152_wm.nii.gz",
                                       "aal.nii.gz", "jhu_wm_labels_2mm.nii.gz"]
    public let grid = VolumeGrid.mni2mm
    public let t1: [Float]
    public let gm: [Float]
    public let wm: [Float]
    /// Soft brain (intracranial) mask in 0…1.
    public let brain: [Float]
    /// Hippocampus partial-volume fraction (AAL 37/38).
    public let hippocampus: [Float]
    /// Smoothed lateral-ventricle indicator and the sparse support where it is non-zero.
    public let ventricleField: [Float]
    public let ventricleSupport: [Int]
    public let ventricleVoxels: Double
    /// Major white-matter tracts (JHU labels > 0) as 0…1.
    public let tracts: [Float]
    /// Mean template T1 intensity of grey matter, white matter and CSF.
    public let meanGM: Float, meanWM: Float, meanCSF: Float

    /// `$MEMOIR_TEMPLATES_DIR`, else `$MEMOIR_HOME/templates`.
    public static var defaultDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let d = env["MEMOIR_TEMPLATES_DIR"], !d.isEmpty { return d }
        return ModelDirectory.memoirHome(env) + "/templates"
    }

    public init(directory: String = AnatomyTemplates.defaultDirectory) throws {
        let missing = Self.requiredFiles.filter { !FileManager.default.fileExists(atPath: directory + "/" + $0) }
        guard missing.isEmpty else {
            throw CohortError.templates("anatomy templates missing in \(directory): \(missing.joined(separator: ", ")); run `bash Scripts/setup.sh` (or set MEMOIR_TEMPLATES_DIR)")
        }
        func load(_ name: String) throws -> NIfTIVolume {
            do { return try NIfTIVolume.read(path: directory + "/" + name) } catch let e as NIfTIError {
                throw CohortError.templates("template \(name): \(e)")
            }
        }
        let grid = VolumeGrid.mni2mm
        // 1 mm → 2 mm: pre-smooth (σ ≈ 0.85 voxel) so trilinear sampling does not alias.
        func downsample(_ v: NIfTIVolume, scale: Float) -> [Float] {
            var s = v
            s.voxels = VolumeFilters.gaussianSmooth(v.voxels, shape: v.shape, sigma: 0.85)
            return Resampler.resample(s, to: grid).voxels.map { $0 * scale }
        }
        let t1Raw = try load("mni_icbm152_t1.nii.gz")
        let gmRaw = try load("mni_icbm152_gm.nii.gz"), wmRaw = try load("mni_icbm152_wm.nii.gz")
        let t1 = downsample(t1Raw, scale: 1)
        let gm = downsample(gmRaw, scale: 1 / max(1, gmRaw.voxels.max() ?? 1))
        let wm = downsample(wmRaw, scale: 1 / max(1, wmRaw.voxels.max() ?? 1))
        let shape = grid.shape

        // Brain: tissue probability smoothed, thresholded, holes (ventricles) filled.
        let tissue = zip(gm, wm).map { $0 + $1 }
        let tissueSmooth = VolumeFilters.gaussianSmooth(tissue, shape: shape, sigma: 1.0)
        let brainMask = Self.fillHoles(tissueSmooth.map { $0 > 0.25 }, shape: shape)
        let brain = VolumeFilters.gaussianSmooth(brainMask.map { $0 ? 1 : 0 }, shape: shape, sigma: 0.5)

        // Hippocampus: AAL labels 37/38 as a 1 mm mask, averaged onto 2 mm.
        var aal = try load("aal.nii.gz")
        aal.voxels = aal.voxels.map { $0 == 37 || $0 == 38 ? 1 : 0 }
        let hippocampus = downsample(aal, scale: 1)

        // Lateral ventricles: low-tissue voxels inside the brain near the midline; the two largest components.
        var candidate = [Bool](repeating: false, count: grid.voxelCount)
        for k in 0..<shape.2 { for j in 0..<shape.1 { for i in 0..<shape.0 {
            let n = grid.index(i, j, k)
            let (x, y, z) = grid.affine.apply(Double(i), Double(j), Double(k))
            candidate[n] = brainMask[n] && tissue[n] < 0.35 && abs(x) < 30 && (-50...30).contains(y) && (-12...32).contains(z)
        } } }
        let (labels, sizes) = VolumeFilters.connectedComponents(candidate, shape: shape)
        let largest = sizes.enumerated().dropFirst().sorted { $0.element > $1.element }.prefix(2).map { Int32($0.offset) }
        let ventricleMask: [Float] = labels.map { largest.contains($0) && $0 != 0 ? 1 : 0 }
        let ventricleField = VolumeFilters.gaussianSmooth(ventricleMask, shape: shape, sigma: 1.5)
        let support = ventricleField.indices.filter { ventricleField[$0] > 1e-3 }

        var jhu = try load("jhu_wm_labels_2mm.nii.gz")
        jhu.voxels = jhu.voxels.map { $0 > 0 ? 1 : 0 }
        let tracts = Resampler.resample(jhu, to: grid, interpolation: .nearest).voxels

        func mean(where condition: (Int) -> Bool) -> Float {
            var s = 0.0, n = 0.0
            for i in t1.indices where condition(i) { s += Double(t1[i]); n += 1 }
            return Float(s / max(n, 1))
        }
        self.t1 = t1
        self.gm = gm
        self.wm = wm
        self.brain = brain
        self.hippocampus = hippocampus
        self.ventricleField = ventricleField
        self.ventricleSupport = support
        self.ventricleVoxels = Double(ventricleMask.reduce(0, +))
        self.tracts = tracts
        meanGM = mean { gm[$0] > 0.75 }
        meanWM = mean { wm[$0] > 0.9 }
        meanCSF = mean { brainMask[$0] && gm[$0] + wm[$0] < 0.1 }
        guard ventricleVoxels > 200, meanWM > meanGM, meanGM > meanCSF else {
            throw CohortError.templates("templates in \(directory) look wrong (ventricles \(Int(ventricleVoxels)) voxels; WM/GM/CSF intensities \(meanWM)/\(meanGM)/\(meanCSF))")
        }
    }

    /// Marks background as what is reachable from the volume's border; everything else is inside.
    static func fillHoles(_ mask: [Bool], shape: (Int, Int, Int)) -> [Bool] {
        let (labels, _) = VolumeFilters.connectedComponents(mask.map { !$0 }, shape: shape)
        var outside = Set<Int32>()
        let (nx, ny, nz) = shape
        for k in 0..<nz { for j in 0..<ny { for i in 0..<nx where i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1 {
            let l = labels[i + nx * (j + ny * k)]
            if l != 0 { outside.insert(l) }
        } } }
        return labels.enumerated().map { mask[$0.offset] || !outside.contains($0.element) }
    }
}
