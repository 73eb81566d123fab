import Foundation
import Imaging
import Testing
import TestSupport

@Suite struct NIfTIBadInputTests {
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    func sample(_ name: String, shape: (Int, Int, Int) = (9, 8, 7)) throws -> String {
        let grid = VolumeGrid(shape: shape, affine: .diagonal((2, 2, 2), origin: (0, 0, 0)))
        try NIfTIVolume(grid: grid, voxels: (0..<grid.voxelCount).map { Float($0) }).write(path: dir + "/" + name)
        return dir + "/" + name
    }

    func truncate(_ path: String, to size: Int) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(size).write(to: URL(fileURLWithPath: path))
    }

    @Test func truncatedGzipIsACompressionError() throws {
        let path = try sample("t.nii.gz")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        try truncate(path, to: size / 2)
        #expect { try NIfTIVolume.read(path: path) } throws: { error in
            guard case NIfTIError.corruptCompression(let p, _) = error else { return false }
            return p == path && "\(error)".contains("truncated")
        }
    }

    @Test func headerLyingAboutDataSizeIsReported() throws {
        let path = try sample("short.nii")
        try truncate(path, to: 352 + 100)
        #expect(throws: NIfTIError.truncated(path: path, expectedBytes: 9 * 8 * 7 * 4, actualBytes: 100)) {
            try NIfTIVolume.read(path: path)
        }
    }

    @Test func nanVoxelsAreRejectedWithACount() throws {
        let path = try sample("nan.nii")
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { data.replaceSubrange(352 + 40..<352 + 44, with: $0) }
        withUnsafeBytes(of: Float.infinity.bitPattern.littleEndian) { data.replaceSubrange(352 + 80..<352 + 84, with: $0) }
        try data.write(to: URL(fileURLWithPath: path))
        #expect(throws: NIfTIError.nonFiniteVoxels(path: path, count: 2)) { try NIfTIVolume.read(path: path) }
        #expect(try NIfTIVolume.read(path: path, allowNonFinite: true).voxels[10].isNaN)
    }

    @Test func fourDimensionalSeriesIsRefused() throws {
        let path = try sample("4d.nii")
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        // dim[0] = 4, dim[4] = 2: the header now claims two volumes.
        withUnsafeBytes(of: Int16(4).littleEndian) { data.replaceSubrange(40..<42, with: $0) }
        withUnsafeBytes(of: Int16(2).littleEndian) { data.replaceSubrange(48..<50, with: $0) }
        try data.write(to: URL(fileURLWithPath: path))
        #expect { try NIfTIVolume.read(path: path) } throws: { error in
            guard case NIfTIError.badDimensions(let p, _) = error else { return false }
            return p == path
        }
    }

    @Test func nonNIfTIBytesAndMissingFilesAreClearErrors() throws {
        let junk = dir + "/junk.nii"
        try Data((0..<400).map { UInt8($0 % 251) }).write(to: URL(fileURLWithPath: junk))
        #expect { try NIfTIVolume.read(path: junk) } throws: { error in
            if case NIfTIError.notNIfTI(junk, _) = error { return true }
            return false
        }
        #expect { try NIfTIVolume.read(path: dir + "/absent.nii") } throws: { error in
            if case NIfTIError.unreadable = error { return "\(error)".contains("absent.nii") }
            return false
        }
    }
}
