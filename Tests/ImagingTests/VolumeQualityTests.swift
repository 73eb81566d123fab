import Imaging
import Testing

@Suite struct VolumeQualityTests {
    let grid = VolumeGrid.mni2mm

    func reason(_ voxels: [Float]) -> String? {
        do { try VolumeQuality.check(NIfTIVolume(grid: grid, voxels: voxels), path: "t1.nii.gz"); return nil } catch {
            guard case let NIfTIError.implausibleImage(path, reason) = error, path == "t1.nii.gz" else { return "wrong error \(error)" }
            return reason
        }
    }

    @Test func emptyConstantAndAbsurdVolumesAreRefused() {
        let n = grid.voxelCount
        #expect(reason([Float](repeating: 0, count: n))?.contains("empty") == true)
        #expect(reason([Float](repeating: 417, count: n))?.contains("constant") == true)
        #expect(reason([Float](repeating: 3e38, count: n))?.contains("constant") == true)
        #expect(reason((0..<n).map { $0 % 2 == 0 ? 3e38 : 0 })?.contains("beyond any MR scale") == true)
        #expect(reason((0..<n).map { $0 == 5 ? .nan : Float($0 % 7) })?.contains("NaN") == true)
        #expect(reason((0..<n).map { $0 == 5 ? 1 : 0 })?.contains("nearly empty") == true)
    }

    @Test func aBrainLikeVolumePasses() {
        // A central block of varying intensity on a zero background, as a registered T1.
        let (x, y, z) = grid.shape
        var voxels = [Float](repeating: 0, count: grid.voxelCount)
        for k in z / 4..<3 * z / 4 { for j in y / 4..<3 * y / 4 { for i in x / 4..<3 * x / 4 { voxels[grid.index(i, j, k)] = Float(200 + (i * j + k) % 600) } } }
        #expect(reason(voxels) == nil)
    }
}
