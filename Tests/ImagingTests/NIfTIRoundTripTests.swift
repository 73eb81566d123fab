import Foundation
import Imaging
import Testing
import TestSupport

@Suite struct NIfTIRoundTripTests {
    func ramp(_ grid: VolumeGrid) -> NIfTIVolume {
        NIfTIVolume(grid: grid, voxels: (0..<grid.voxelCount).map { Float($0 % 977) * 0.25 - 40 })
    }

    @Test(arguments: ["v.nii", "v.nii.gz"])
    func float32RoundTripIsExact(name: String) throws {
        let folder = try TemporaryFolder(), dir = folder.path
        let grid = VolumeGrid(shape: (11, 7, 5), affine: AffineTransform(rows: [-2, 0.1, 0, 90, 0, 2, 0.2, -126, 0.05, 0, 2, -72]))
        let v = ramp(grid)
        try v.write(path: dir + "/" + name)
        let back = try NIfTIVolume.read(path: dir + "/" + name)
        #expect(back.voxels == v.voxels)
        #expect(back.grid.shape == grid.shape)
        #expect(back.grid.affine.isClose(to: grid.affine, tolerance: 1e-5))
        #expect(back.sourceDataType == .float32)
    }

    @Test func int16WithSlopeRoundTripsQuantisedValues() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        let v = ramp(.mni2mm)
        try v.write(path: dir + "/q.nii.gz", as: .int16, slope: 0.25, intercept: -40, compressionLevel: 1)
        let back = try NIfTIVolume.read(path: dir + "/q.nii.gz")
        #expect(back.sourceDataType == .int16)
        #expect(back.voxels == v.voxels) // every ramp value is a multiple of the slope
        #expect(back.grid.matches(.mni2mm))
    }

    @Test func matchesNibabelDataAndAffine() throws {
        let expected = try #require(Fixtures.json("imaging/nibabel_expected.json") as? [String: Any])
        let files = try #require(expected["files"] as? [String: [String: Any]])
        #expect(files.count == 3)
        for (name, info) in files {
            let v = try NIfTIVolume.read(path: Fixtures.path("imaging/" + name))
            let shape = try #require(info["shape"] as? [Int])
            #expect([v.shape.0, v.shape.1, v.shape.2] == shape, "\(name)")
            let affine = try #require(info["affine"] as? [Double])
            #expect(v.grid.affine.isClose(to: AffineTransform(rows: affine), tolerance: 1e-5), "\(name): \(v.grid.affine) vs \(affine)")
            let voxels = try #require(info["voxels"] as? [Double])
            let worst = zip(v.voxels, voxels).map { abs(Double($0) - $1) }.max() ?? .infinity
            #expect(worst < 1e-5, "\(name): max voxel difference \(worst)")
        }
    }
}
