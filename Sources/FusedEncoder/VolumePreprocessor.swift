import Cohort
import Imaging
import Numerics

/// Turns NIfTI files and case records into `CaseInputs`, preprocessing as the training data loader
/// (Training/memoir_encoder/data.py) does: T1 z-scored over its positive voxels, FA as is, both in
/// [X, Y, Z] order with Z fastest.
public struct VolumePreprocessor: Sendable {
    public let inputShape: SpatialShape

    public init(config: EncoderConfig) { inputShape = SpatialShape(config.inputShape) }

    /// True when the encoder takes volumes on FSL's MNI 2 mm grid, so others can be resampled onto it.
    public var acceptsMNIResampling: Bool { inputShape.dims == EncoderConfig.mniShape }

    /// The record's images and clinical values, restricted to `modalities`. A modality the record lacks
    /// (no image path) is left out; the clinical modality is always available (absent scores are flagged
    /// as such), as in training. Throws when nothing remains.
    public func inputs(for record: CaseRecord, modalities: ModalitySet = .all) throws -> CaseInputs {
        try inputs(subjectID: record.subjectID, t1Path: record.t1Path, faPath: record.faPath,
                   clinical: ClinicalInputs(record: record), modalities: modalities)
    }

    /// Explicit image paths and clinical inputs, restricted to `modalities`.
    public func inputs(subjectID: String = "case", t1Path: String?, faPath: String?, clinical: ClinicalInputs?,
                       modalities: ModalitySet = .all) throws -> CaseInputs {
        let used = modalities.intersection(.present(t1Path: t1Path, faPath: faPath, hasClinical: clinical != nil))
        let useT1 = used.contains(.t1), useFA = used.contains(.fa), useClinical = used.contains(.clinical)
        guard !used.isEmpty else {
            var missing: [String] = []
            if modalities.contains(.t1) { missing.append("no T1 image") }
            if modalities.contains(.fa) { missing.append("no FA image") }
            if modalities.contains(.clinical) { missing.append("no clinical values") }
            throw EncoderError.noModality(subject: subjectID, requested: modalities.key,
                                          reason: missing.isEmpty ? "no modality was requested" : missing.joined(separator: ", "))
        }
        return CaseInputs(subjectID: subjectID,
                          t1: useT1 ? try volume(path: t1Path!, modality: .t1) : nil,
                          fa: useFA ? try volume(path: faPath!, modality: .fa) : nil,
                          clinical: useClinical ? clinical : nil)
    }

    /// Reads and preprocesses one image.
    public func volume(path: String, modality: Modality) throws -> EncoderVolume {
        try volume(try NIfTIVolume.read(path: path), path: path, modality: modality)
    }

    /// Checks the grid, normalises and reorders an image already in memory; `path` labels errors.
    public func volume(_ image: NIfTIVolume, path: String, modality: Modality) throws -> EncoderVolume {
        precondition(modality != .clinical, "clinical inputs are not volumes")
        var image = image
        let shape = [image.shape.0, image.shape.1, image.shape.2]
        if shape != inputShape.dims {
            guard acceptsMNIResampling else { throw EncoderError.volumeShape(path: path, shape: shape, expected: inputShape.dims) }
            image = try Resampler.conform(image, to: .mni2mm, path: path)
        }
        if modality == .t1 { Self.zScorePositive(&image.voxels) }
        return EncoderVolume(shape: inputShape, values: Self.transposed(image.voxels, shape: inputShape), source: path)
    }

    /// z-scores the voxels > 0 (mean 0, population SD 1, SD floored at 1e-6) and zeroes the rest, as
    /// data.py's `preprocess_t1` (config "zscore_nonzero": background is exactly 0 in registered T1s).
    public static func zScorePositive(_ voxels: inout [Float]) {
        var sum = 0.0, n = 0
        for v in voxels where v > 0 { sum += Double(v); n += 1 }
        guard n > 0 else { for i in voxels.indices { voxels[i] = 0 }; return }
        let mean = sum / Double(n)
        var squares = 0.0
        for v in voxels where v > 0 { let d = Double(v) - mean; squares += d * d }
        let inverse = 1 / max((squares / Double(n)).squareRoot(), 1e-6)
        for i in voxels.indices { voxels[i] = voxels[i] > 0 ? Float((Double(voxels[i]) - mean) * inverse) : 0 }
    }

    /// NIfTI order (i fastest) → [X, Y, Z] with Z fastest.
    public static func transposed(_ voxels: [Float], shape s: SpatialShape) -> [Float] {
        precondition(voxels.count == s.count, "volume of \(voxels.count) voxels is not \(s)")
        var out = [Float](unsafeUninitializedCapacity: s.count) { _, n in n = s.count }
        voxels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let source = SharedBuffer(src.baseAddress!), target = SharedBuffer(dst.baseAddress!)
                Parallel.forEachChunk(count: s.x, minimumChunk: 8) { range in
                    for i in range {
                        for j in 0..<s.y {
                            let row = target.base + (i * s.y + j) * s.z
                            for k in 0..<s.z { row[k] = source.base[i + s.x * (j + s.y * k)] }
                        }
                    }
                }
            }
        }
        return out
    }
}
