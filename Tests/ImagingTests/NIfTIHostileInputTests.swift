import Foundation
import Imaging
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Regression tests for the hostile inputs of issue #15's audit: each once trapped, hung or was accepted.
@Suite struct NIfTIHostileInputTests {
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    func refusal(_ path: String) -> NIfTIError? {
        do { _ = try NIfTIVolume.read(path: path); return nil } catch { return error as? NIfTIError }
    }

    @Test func voxOffsetBeyondIntIsRefused() throws {
        let path = Fixtures.path("hostile/vox-offset-1e19.nii")
        let error = try #require(refusal(path))
        guard case let .tooLarge(p, reason) = error else { Issue.record("\(error)"); return }
        #expect(p == path && reason.contains("vox_offset"))
        #expect(throws: NIfTIError.self) { try NIfTIVolume.readHeader(path: path) }
    }

    @Test func voxelCountOverflowIsRefused() throws {
        let path = Fixtures.path("hostile/dims-overflow.nii")
        guard case let .tooLarge(p, reason)? = refusal(path) else { Issue.record("not refused as too large"); return }
        #expect(p == path && reason.contains("voxels"))
    }

    @Test func singularSformIsAGridErrorNotATrap() throws {
        let path = Fixtures.path("hostile/singular-sform.nii")
        let volume = try NIfTIVolume.read(path: path)
        #expect(volume.grid.affine.voxelSize == (2, 2, 2))
        #expect { try Resampler.conform(volume, to: .mni2mm, path: path) } throws: { error in
            guard case let NIfTIError.wrongGrid(p, reason) = error else { return false }
            return p == path && reason.contains("singular")
        }
        // The non-throwing resample maps nothing from a singular grid: all fill, no trap.
        #expect(Resampler.resample(volume, to: .mni2mm, fill: -1).voxels.allSatisfy { $0 == -1 })
    }

    @Test func nonNIfTIErrorDoesNotEchoFileContent() throws {
        let path = Fixtures.path("hostile/not-nifti-secret.nii")
        let message = "\(try #require(refusal(path)))"
        #expect(message.contains(path) && message.contains("sizeof_hdr"))
        // "SECR" read as sizeof_hdr in either byte order, and the text itself.
        for leak in ["1380140371", "1397048146", "SECRET", "hunter2"] { #expect(!message.contains(leak), "\(message)") }
    }

    @Test func directoryFIFODeviceAndSymlinkLoopAreClearErrors() throws {
        let fifo = dir + "/t1.nii"
        #expect(mkfifo(fifo, 0o600) == 0)
        let loop = dir + "/loop.nii"
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        for (path, mention) in [(dir, "directory"), (fifo, "FIFO"), ("/dev/zero", "character device"), (loop, "symbolic link loop")] {
            // A FIFO with no writer used to block forever here; now it must return at once.
            let started = Date()
            for read in [{ _ = try NIfTIVolume.read(path: path) }, { _ = try NIfTIVolume.readHeader(path: path) },
                         { _ = try GzipCodec.inflateFile(at: path) }] {
                #expect { try read() } throws: { error in
                    guard case let NIfTIError.unreadable(p, reason) = error else { return false }
                    return p == path && reason.contains(mention)
                }
            }
            #expect(Date().timeIntervalSince(started) < 5)
        }
    }

    /// 64 MiB of zeros behind a 4×4×4 header: the stream is stopped at what the header needs, not inflated.
    @Test func gzipBombBeyondTheHeaderIsRefused() throws {
        let grid = VolumeGrid(shape: (4, 4, 4), affine: .diagonal((2, 2, 2), origin: (0, 0, 0)))
        let plain = dir + "/v.nii"
        try NIfTIVolume(grid: grid, voxels: (0..<64).map(Float.init)).write(path: plain)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: plain))
        bytes.append(Data(count: 64 << 20))
        let bomb = dir + "/bomb.nii.gz"
        let compressed = try GzipCodec.deflate(bytes, level: 9)
        #expect(compressed.count < 1 << 20)
        try compressed.write(to: URL(fileURLWithPath: bomb))
        #expect { try NIfTIVolume.read(path: bomb) } throws: { error in
            guard case let NIfTIError.tooLarge(p, reason) = error else { return false }
            return p == bomb && reason.contains("decompression bomb")
        }
        // The header alone is still readable (only its 348 bytes are inflated).
        #expect(try NIfTIVolume.readHeader(path: bomb).dimensions == [4, 4, 4])
        #expect(throws: NIfTIError.self) { try GzipCodec.inflateFile(at: bomb, maxBytes: 1 << 20) }
    }

    /// A header claiming 1024³ voxels is refused before anything past it is inflated.
    @Test func gzipHeaderClaimingAGigavoxelIsRefused() throws {
        let grid = VolumeGrid(shape: (4, 4, 4), affine: .diagonal((2, 2, 2), origin: (0, 0, 0)))
        let plain = dir + "/v.nii"
        try NIfTIVolume(grid: grid, voxels: (0..<64).map(Float.init)).write(path: plain, as: .uint8)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: plain))
        for axis in 0..<3 { withUnsafeBytes(of: Int16(1024).littleEndian) { bytes.replaceSubrange(42 + 2 * axis..<44 + 2 * axis, with: $0) } }
        let path = dir + "/giga.nii.gz"
        try GzipCodec.deflate(bytes + Data(count: 1 << 20), level: 9).write(to: URL(fileURLWithPath: path))
        guard case let .tooLarge(p, _)? = refusal(path) else { Issue.record("not refused as too large"); return }
        #expect(p == path)
    }

    @Test func nonFiniteAffineIsRefused() throws {
        let path = dir + "/nan-sform.nii"
        let grid = VolumeGrid(shape: (4, 4, 4), affine: .diagonal((2, 2, 2), origin: (0, 0, 0)))
        try NIfTIVolume(grid: grid, voxels: (0..<64).map(Float.init)).write(path: path)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { bytes.replaceSubrange(280..<284, with: $0) }
        try bytes.write(to: URL(fileURLWithPath: path))
        guard case let .wrongGrid(p, reason)? = refusal(path) else { Issue.record("NaN sform accepted"); return }
        #expect(p == path && reason.contains("NaN"))
    }
}
