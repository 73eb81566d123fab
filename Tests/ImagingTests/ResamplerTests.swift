import Foundation
import Imaging
import Testing

@Suite struct ResamplerTests {
    /// A field linear in world coordinates is reproduced exactly by trilinear interpolation on any grid.
    @Test func linearFieldSurvivesResamplingBetweenFlippedGrids() {
        let source = VolumeGrid(shape: (40, 50, 40), affine: .diagonal((2, 2, 2), origin: (-40, -60, -30)))
        func field(_ p: (Double, Double, Double)) -> Float { Float(0.5 * p.0 - 0.25 * p.1 + 0.75 * p.2 + 3) }
        var voxels = [Float](repeating: 0, count: source.voxelCount)
        for k in 0..<40 { for j in 0..<50 { for i in 0..<40 { voxels[source.index(i, j, k)] = field(source.affine.apply(Double(i), Double(j), Double(k))) } } }
        let target = VolumeGrid(shape: (20, 30, 20), affine: .diagonal((-3, 2.5, 3), origin: (20, -50, -20)))
        let out = Resampler.resample(NIfTIVolume(grid: source, voxels: voxels), to: target)
        var worst: Float = 0
        for k in 0..<20 { for j in 0..<30 { for i in 0..<20 {
            worst = max(worst, abs(out.voxels[target.index(i, j, k)] - field(target.affine.apply(Double(i), Double(j), Double(k)))))
        } } }
        #expect(worst < 1e-3, "max error \(worst)")
    }

    @Test func conformKeepsMatchingGridsAndRefusesDisjointOnes() throws {
        let same = NIfTIVolume(grid: .mni2mm, voxels: [Float](repeating: 1, count: VolumeGrid.mni2mm.voxelCount))
        #expect(try Resampler.conform(same, to: .mni2mm, path: "same.nii").voxels == same.voxels)
        let far = NIfTIVolume(grid: VolumeGrid(shape: (10, 10, 10), affine: .diagonal((2, 2, 2), origin: (5000, 5000, 5000))),
                              voxels: [Float](repeating: 1, count: 1000))
        #expect { try Resampler.conform(far, to: .mni2mm, path: "far.nii") } throws: { error in
            if case NIfTIError.wrongGrid(path: "far.nii", _) = error { return true }
            return false
        }
    }

    @Test func affineInverseComposesToIdentity() throws {
        let a = AffineTransform(rows: [-1.9, 0.2, 0.1, 90, 0.1, 2.1, -0.2, -126, 0.05, 0.1, 1.95, -72])
        let inverse = try #require(a.inverted())
        #expect(a.composed(with: inverse).isClose(to: .identity, tolerance: 1e-9))
    }

    @Test func smoothingKeepsMassAndComponentsAreCounted() {
        let shape = (12, 12, 12)
        var mask = [Bool](repeating: false, count: 1728)
        for i in 2..<5 { mask[i + 12 * (6 + 12 * 6)] = true }   // one bar
        for i in 8..<10 { mask[i + 12 * (2 + 12 * 2)] = true }  // another
        let (_, sizes) = VolumeFilters.connectedComponents(mask, shape: shape)
        #expect(sizes.dropFirst().sorted() == [2, 3])
        let smooth = VolumeFilters.gaussianSmooth(mask.map { $0 ? 1 : 0 }, shape: shape, sigma: 1)
        #expect(abs(smooth.reduce(0, +) - 5) < 0.05)
    }
}
