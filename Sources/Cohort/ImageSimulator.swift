import Foundation
import Imaging

/// Turns a subject's phenotype into T1 and FA volumes on the MNI 2 mm grid, from the template anatomy:
/// grey-matter and hippocampal loss by partial-volume scaling, ventricles grown along a smooth field,
/// skull stripping, residual registration error (head size, rotation, shift), bias field and Rician noise.
public struct ImageSimulator: Sendable {
    public let anatomy: AnatomyTemplates
    /// Output intensity of template white matter (ADNI-like int16 range).
    public let whiteMatterLevel: Float = 1000

    public init(anatomy: AnatomyTemplates) { self.anatomy = anatomy }

    public func t1(for s: SyntheticSubject) -> NIfTIVolume {
        let a = anatomy
        var rng = SeededGenerator(seed: s.imageSeed)
        let (added, _) = ventricleGrowth(s.ventricleExpansion)
        let tissueContrast = a.meanGM - a.meanCSF
        var image = [Float](repeating: 0, count: a.t1.count)
        for n in image.indices {
            let lostGM = a.gm[n] * Float(min(1, s.gmLoss + s.hippocampalLoss * Double(a.hippocampus[n])))
            var v = a.t1[n] - lostGM * tissueContrast
            let grown = added[n]
            if grown > 0 { v = v * (1 - grown) + a.meanCSF * grown }
            image[n] = v * a.brain[n]
        }
        var volume = warp(image, s)
        applyBiasAndNoise(&volume.voxels, rng: &rng, noiseSD: Float(CalibrationTable.noiseFractionOfWM) * a.meanWM)
        let scale = whiteMatterLevel / a.meanWM
        for n in volume.voxels.indices { volume.voxels[n] = max(0, volume.voxels[n] * scale) }
        volume.description = "Memoir synthetic T1 (from MNI152 2009a)"
        return volume
    }

    public func fa(for s: SyntheticSubject) -> NIfTIVolume {
        let a = anatomy
        var rng = SeededGenerator(seed: s.imageSeed ^ 0xFA)
        let (added, _) = ventricleGrowth(s.ventricleExpansion)
        var image = [Float](repeating: 0, count: a.t1.count)
        let keep = Float(1 - s.faLoss)
        for n in image.indices {
            let gm = a.gm[n] * Float(max(0, 1 - s.gmLoss - s.hippocampalLoss * Double(a.hippocampus[n])))
            let wm = a.wm[n] * (1 - added[n])
            let csf = max(0, 1 - gm - wm)
            image[n] = (0.06 * csf + 0.16 * gm + wm * (0.40 + 0.26 * a.tracts[n]) * keep) * a.brain[n]
        }
        var volume = warp(image, s)
        let inside = volume.voxels.map { $0 > 0.01 }
        let sd = Float(CalibrationTable.faNoiseSD)
        for n in volume.voxels.indices {
            guard inside[n] else { volume.voxels[n] = 0; continue }
            let (e1, e2) = (Float(rng.normal()) * sd, Float(rng.normal()) * sd)
            let v = volume.voxels[n]
            volume.voxels[n] = min(1, ((v + e1) * (v + e1) + e2 * e2).squareRoot()) // magnitude noise keeps FA ≥ 0
        }
        volume.description = "Memoir synthetic DTI-FA (from MNI152 2009a + JHU)"
        return volume
    }

    /// Extra ventricle partial volume after growing by `expansion` (fraction of template volume):
    /// V(c) = min(1, c·field) with c found by bisection so that ΣV(c) = (1 + expansion)·ΣV(c₀).
    func ventricleGrowth(_ expansion: Double) -> ([Float], Double) {
        let a = anatomy
        func volume(_ c: Float) -> Double { a.ventricleSupport.reduce(0.0) { $0 + Double(min(1, c * a.ventricleField[$1])) } }
        func solve(_ target: Double) -> Float {
            var lo: Float = 0, hi: Float = 64
            for _ in 0..<40 { let mid = (lo + hi) / 2; if volume(mid) < target { lo = mid } else { hi = mid } }
            return (lo + hi) / 2
        }
        let c0 = solve(a.ventricleVoxels)
        let c1 = solve(a.ventricleVoxels * (1 + expansion))
        var added = [Float](repeating: 0, count: a.t1.count)
        for n in a.ventricleSupport {
            added[n] = max(0, min(1, c1 * a.ventricleField[n]) - min(1, c0 * a.ventricleField[n]))
        }
        return (added, volume(c1))
    }

    /// Residual registration error: scale about the grid centre, small rotations and a shift.
    func warp(_ voxels: [Float], _ s: SyntheticSubject) -> NIfTIVolume {
        let grid = anatomy.grid
        let deg = Double.pi / 180
        let (rx, ry, rz) = (s.rotationDegrees.0 * deg, s.rotationDegrees.1 * deg, s.rotationDegrees.2 * deg)
        // World-space map from output to template (about the MNI origin, near the brain centre).
        let (cx, sx) = (cos(rx), sin(rx)), (cy, sy) = (cos(ry), sin(ry)), (cz, sz) = (cos(rz), sin(rz))
        let r = [cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx,
                 sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx,
                 -sy, cy * sx, cy * cx]
        let k = 1 / s.headScale
        let (tx, ty, tz) = s.translationMM
        let world = AffineTransform(rows: [r[0] * k, r[1] * k, r[2] * k, tx, r[3] * k, r[4] * k, r[5] * k, ty,
                                           r[6] * k, r[7] * k, r[8] * k, tz])
        let map = grid.affine.inverted()!.composed(with: world).composed(with: grid.affine)
        let source = NIfTIVolume(grid: grid, voxels: voxels)
        return Resampler.resample(source, to: grid, voxelMap: map)
    }

    /// Smooth multiplicative bias (linear + quadratic terms) and Rician magnitude noise inside the head.
    func applyBiasAndNoise(_ v: inout [Float], rng: inout SeededGenerator, noiseSD: Float) {
        let (nx, ny, nz) = anatomy.grid.shape
        let c = (0..<9).map { _ in Float(rng.normal() * CalibrationTable.biasFieldSD) }
        for k in 0..<nz {
            let z = Float(2 * k) / Float(nz - 1) - 1
            for j in 0..<ny {
                let y = Float(2 * j) / Float(ny - 1) - 1
                for i in 0..<nx {
                    let n = i + nx * (j + ny * k)
                    guard v[n] > 0 else { continue }
                    let x = Float(2 * i) / Float(nx - 1) - 1
                    let bias = exp(c[0] * x + c[1] * y + c[2] * z + c[3] * x * x + c[4] * y * y + c[5] * z * z
                                   + c[6] * x * y + c[7] * y * z + c[8] * x * z)
                    let signal = v[n] * bias
                    let (e1, e2) = (Float(rng.normal()) * noiseSD, Float(rng.normal()) * noiseSD)
                    v[n] = ((signal + e1) * (signal + e1) + e2 * e2).squareRoot()
                }
            }
        }
    }
}
