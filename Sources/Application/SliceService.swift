import Cohort
import Foundation
import Imaging
import Store

/// The viewer's images: orthogonal slices of a case's T1 or FA volume as greyscale PNG, in a stated
/// display convention with the anatomical label of every edge. Volumes and encoded slices are cached, so a
/// viewer scrolling back and forth reads each file once.
public final class SliceService: Sendable {
    public let store: CaseStore
    private let volumes: LRUCache<String, LoadedVolume>
    private let images: LRUCache<String, RenderedSlice>

    /// A volume read once, with its slicers and default window.
    private struct LoadedVolume: Sendable {
        let slicers: [DisplayConvention: VolumeSlicer]
        let window: IntensityWindow
    }

    /// What the viewer needs before asking for slices: how many per plane, the default window, the labels.
    public struct VolumeInfo: Sendable, Equatable, Codable {
        public var caseID: String
        public var modality: String
        public var shape: [Int]
        /// Slices per plane, by plane name.
        public var counts: [String: Int]
        public var window: IntensityWindow
        public var convention: DisplayConvention
        /// The edges' anatomical labels per plane.
        public var orientation: [String: SliceOrientation]

        enum CodingKeys: String, CodingKey { case caseID = "case_id", modality, shape, counts, window, convention, orientation }
    }

    public struct RenderedSlice: Sendable {
        public var png: Data
        public var slice: SliceMetadata
    }

    /// A slice without its pixels.
    public struct SliceMetadata: Sendable, Equatable, Codable {
        public var plane: SlicePlane
        public var index: Int
        public var count: Int
        public var width: Int
        public var height: Int
        public var window: IntensityWindow
        public var orientation: SliceOrientation
    }

    /// `volumeCacheSize` volumes of 91×109×91 floats are 3.6 MB each (48: about 170 MB); slices are a few kB.
    public init(store: CaseStore, volumeCacheSize: Int = 48, imageCacheSize: Int = 4_096) {
        self.store = store
        volumes = LRUCache(capacity: volumeCacheSize)
        images = LRUCache(capacity: imageCacheSize)
    }

    public func info(caseID: String, modality: Modality, convention: DisplayConvention = .radiological) throws -> VolumeInfo {
        let loaded = try volume(caseID: caseID, modality: modality)
        guard let slicer = loaded.slicers[convention] else { throw ApplicationError.invalid("no slicer for \(convention.rawValue)") }
        let s = slicer.volume.shape
        return VolumeInfo(caseID: caseID, modality: modality.rawValue, shape: [s.0, s.1, s.2],
                          counts: Dictionary(uniqueKeysWithValues: SlicePlane.allCases.map { ($0.rawValue, slicer.count($0)) }),
                          window: loaded.window, convention: convention,
                          orientation: Dictionary(uniqueKeysWithValues: SlicePlane.allCases.map { ($0.rawValue, slicer.orientation($0)) }))
    }

    /// One slice as PNG; `index` nil is the middle slice, `window` nil the volume's automatic window.
    public func slice(caseID: String, modality: Modality, plane: SlicePlane, index: Int?, window: IntensityWindow?,
                      convention: DisplayConvention = .radiological) throws -> RenderedSlice {
        let loaded = try volume(caseID: caseID, modality: modality)
        guard let slicer = loaded.slicers[convention] else { throw ApplicationError.invalid("no slicer for \(convention.rawValue)") }
        let index = index ?? slicer.middle(plane)
        let window = window ?? loaded.window
        let key = [caseID, modality.rawValue, plane.rawValue, "\(index)", "\(window.low)", "\(window.high)", convention.rawValue]
            .joined(separator: "|")
        return try images.value(for: key) {
            let grey = try slicer.slice(plane, index: index, window: window)
            let png = try PNGEncoder.greyscale(width: grey.width, height: grey.height, pixels: grey.pixels)
            return RenderedSlice(png: png, slice: SliceMetadata(plane: plane, index: grey.index, count: grey.count, width: grey.width,
                                                                height: grey.height, window: window, orientation: grey.orientation))
        }
    }

    private func volume(caseID: String, modality: Modality) throws -> LoadedVolume {
        let record = try store.storedCase(caseID).record
        let path: String?
        switch modality {
        case .t1: path = record.t1Path
        case .fa: path = record.faPath
        case .clinical: throw ApplicationError.invalid("clinical values have no image; ask for t1 or fa")
        }
        guard let path else { throw ApplicationError.notFound("case \(caseID) has no \(modality.rawValue.uppercased()) image") }
        return try volumes.value(for: caseID + "|" + modality.rawValue) {
            let volume = try NIfTIVolume.read(path: path)
            var slicers: [DisplayConvention: VolumeSlicer] = [:]
            for convention in DisplayConvention.allCases { slicers[convention] = try VolumeSlicer(volume: volume, convention: convention) }
            return LoadedVolume(slicers: slicers, window: IntensityWindow.automatic(for: volume.voxels))
        }
    }
}
