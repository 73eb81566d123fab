import CZlib
import Foundation
import Testing
@testable import Imaging

/// The viewer's slices: orientation from the affine (an LAS and an RAS copy of one volume show the same
/// picture with the same labels), windowing, bounds, and PNG files that zlib and a PNG reader accept.
@Suite struct SliceAndPNGTests {
    /// A 4×3×2 volume whose voxel value encodes its world position, stored LAS (FSL's MNI order) or RAS.
    static func volume(las: Bool) -> NIfTIVolume {
        let (nx, ny, nz) = (4, 3, 2)
        var voxels = [Float](repeating: 0, count: nx * ny * nz)
        let grid = VolumeGrid(shape: (nx, ny, nz), affine: .diagonal((las ? -2 : 2, 2, 2), origin: (las ? 3 : -3, 0, 0)))
        for k in 0..<nz { for j in 0..<ny { for i in 0..<nx {
            let x = las ? nx - 1 - i : i  // position from the patient's left (−x is left in RAS+)... x index from −x
            voxels[grid.index(i, j, k)] = Float(100 * x + 10 * j + k)
        } } }
        return NIfTIVolume(grid: grid, voxels: voxels)
    }

    static let window = IntensityWindow(low: 0, high: 255)!

    @Test func orientationFollowsTheAffineNotTheStorageOrder() throws {
        for convention in DisplayConvention.allCases {
            let las = try VolumeSlicer(volume: Self.volume(las: true), convention: convention)
            let ras = try VolumeSlicer(volume: Self.volume(las: false), convention: convention)
            for plane in SlicePlane.allCases {
                for index in 0..<las.count(plane) {
                    #expect(try las.slice(plane, index: index, window: Self.window) == ras.slice(plane, index: index, window: Self.window),
                            "\(plane) \(index) \(convention)")
                }
            }
        }
    }

    @Test func radiologicalAxialPutsThePatientsRightOnTheLeft() throws {
        let slicer = try VolumeSlicer(volume: Self.volume(las: true), convention: .radiological)
        let axial = try slicer.slice(.axial, index: 1, window: Self.window)
        #expect(axial.width == 4 && axial.height == 3 && axial.count == 2)
        #expect((axial.orientation.left, axial.orientation.right, axial.orientation.top, axial.orientation.bottom) == ("R", "L", "A", "P"))
        // Top-left pixel: the patient's right-most (x index 3), anterior-most (j 2) voxel of slice k 1.
        #expect(axial.pixels[0] == Self.window.grey(321) && axial.pixels[3] == Self.window.grey(21))
        #expect(axial.orientation.horizontal == .init(plane: .sagittal, reversed: true))
        let neuro = try VolumeSlicer(volume: Self.volume(las: true), convention: .neurological).slice(.axial, index: 1, window: Self.window)
        #expect(neuro.orientation.left == "L" && neuro.pixels[0] == Self.window.grey(21))
        let sagittal = try slicer.slice(.sagittal, index: 0, window: Self.window)
        #expect((sagittal.orientation.left, sagittal.orientation.top, sagittal.width, sagittal.height) == ("A", "S", 3, 2))
        #expect(sagittal.pixels[0] == Self.window.grey(21), "sagittal 0 is the patient's left-most slice")
        let coronal = try slicer.slice(.coronal, index: 2, window: Self.window)
        #expect((coronal.orientation.left, coronal.orientation.top, coronal.orientation.bottom) == ("R", "S", "I"))
    }

    @Test func badIndicesWindowsAndObliqueGridsAreRefused() throws {
        let slicer = try VolumeSlicer(volume: Self.volume(las: true))
        #expect(throws: SliceError.indexOutOfRange(plane: .axial, index: 2, count: 2)) { try slicer.slice(.axial, index: 2, window: Self.window) }
        #expect(throws: SliceError.self) { try slicer.slice(.sagittal, index: -1, window: Self.window) }
        #expect(IntensityWindow(low: 1, high: 1) == nil && IntensityWindow(low: .nan, high: 1) == nil)
        var oblique = Self.volume(las: true)
        oblique.grid.affine = AffineTransform(rows: [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1])
        #expect(throws: SliceError.self) { try VolumeSlicer(volume: oblique) }
        let auto = IntensityWindow.automatic(for: [0, 0, 0] + (1...100).map(Float.init))
        #expect(auto.low == 0 && auto.high >= 99 && auto.high <= 100)
        #expect(IntensityWindow.automatic(for: [0, 0]) == IntensityWindow(low: 0, high: 1))
        #expect(Self.window.grey(-5) == 0 && Self.window.grey(1e9) == 255 && Self.window.grey(.nan) == 0)
    }

    @Test func pngIsWellFormedAndInflatesToTheRows() throws {
        let pixels: [UInt8] = (0..<(5 * 3)).map { UInt8($0 * 17) }
        let png = [UInt8](try PNGEncoder.greyscale(width: 5, height: 3, pixels: pixels))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // Walk the chunks, checking each CRC, and collect IHDR and IDAT.
        var offset = 8, chunks: [(String, [UInt8])] = []
        while offset + 12 <= png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let body = Array(png[(offset + 8)..<(offset + 8 + length)])
            let stored = png[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let computed = UInt32(truncatingIfNeeded: Array(png[(offset + 4)..<(offset + 8 + length)]).withUnsafeBufferPointer {
                crc32(0, $0.baseAddress, uInt($0.count))
            })
            #expect(stored == computed, "\(type) CRC")
            chunks.append((type, body))
            offset += 12 + length
        }
        #expect(chunks.map(\.0) == ["IHDR", "IDAT", "IEND"] && offset == png.count)
        #expect(chunks[0].1 == [0, 0, 0, 5, 0, 0, 0, 3, 8, 0, 0, 0, 0])
        var inflated = [UInt8](repeating: 0, count: 64)
        var size = uLongf(inflated.count)
        let status = chunks[1].1.withUnsafeBufferPointer { src in uncompress(&inflated, &size, src.baseAddress, uLong(src.count)) }
        var rows: [UInt8] = []
        for row in 0..<3 { rows += [0] + pixels[(row * 5)..<(row * 5 + 5)] }
        #expect(status == Z_OK)
        #expect(Array(inflated.prefix(Int(size))) == rows)
        #expect(throws: PNGEncoder.EncodingError.self) { try PNGEncoder.greyscale(width: 5, height: 3, pixels: [1, 2]) }
        #expect(throws: PNGEncoder.EncodingError.self) { try PNGEncoder.greyscale(width: 0, height: 0, pixels: []) }
    }
}
