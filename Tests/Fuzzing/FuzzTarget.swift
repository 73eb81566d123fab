import Cohort
import Evaluation
import FusedEncoder
import Foundation
import Imaging
import Numerics
import TextModels

/// Runs one input through the parser of its format and the checks that consume the parsed value,
/// classifying the result. Anything but a typed error escaping counts as a failure.
public enum FuzzTarget {
    /// A small MNI-like target for `Resampler.conform`: exercises the affine checks and resampling
    /// without the cost of the full 91×109×91 grid on every case.
    static let conformGrid = VolumeGrid(shape: (8, 7, 6), affine: .diagonal((-2, 2, 2), origin: (6, -4, -4)))

    public static func run(_ format: FuzzFormat, path: String, bytes: Data) -> FuzzOutcome {
        do {
            switch format {
            case .nifti, .niftiGzip:
                _ = try NIfTIVolume.readHeader(path: path)
                let volume = try NIfTIVolume.read(path: path)
                try VolumeQuality.check(volume, path: path)
                _ = try Resampler.conform(volume, to: conformGrid, path: path)
            case .safetensors:
                let file = try SafeTensorsFile(path: path)
                for entry in file.entries.values where entry.dtype.isFloatingPoint { _ = try file.tensor(entry.name) }
            case .bertConfig:
                _ = try BertConfig(contentsOf: path)
            case .encoderConfig:
                let config = try EncoderConfig.load(path: path)
                _ = config.gflopsPerVolume
            case .cohortCSV:
                _ = try CohortCSV.parse(String(decoding: bytes, as: UTF8.self), path: path)
            case .adnimergeCSV:
                let visits = try ADNIMergeCSV.parse(CohortCSV.text(path: path), path: path)
                for selection in [VisitSelection.baseline, .all] {
                    _ = try LongitudinalCohort.build(visits: visits, imageMap: [:], selection: selection, file: path, mapFile: "map.csv")
                }
            case .qaJSONL:
                // Bad lines are problems, not throws: every line must be classified either way.
                let set = try QASet.load(path: path, knownCaseIDs: ["941_S_0001", "941_S_0002"])
                guard set.items.count + set.problems.count <= bytes.count + 1 else { return .untyped("more lines classified than the file has") }
            }
            return .accepted
        } catch is NIfTIError, is SafeTensorsError, is MappedFileError, is TextModelError, is EncoderError, is CohortError,
                is EvaluationError {
            return .refused
        } catch {
            return .untyped("\(type(of: error)): \(ErrorEcho.clip("\(error)", limit: 200))")
        }
    }
}
