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

    /// A small WordPiece vocabulary: enough pieces for the fuzzed configs' sequence lengths to matter.
    static let tokenizer: WordPieceTokenizer = {
        let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + "abcdefghijklmnopqrstuvwxyz0123456789".map(String.init)
            + "abcdefghijklmnopqrstuvwxyz0123456789".map { "##" + String($0) } + [",", ".", "?", "-", "_"]
        // A fixed, valid token list: failing here is a bug in this file, reported on the first case.
        guard let vocabulary = try? Vocabulary(tokens: tokens) else { preconditionFailure("fuzz vocabulary") }
        return WordPieceTokenizer(vocabulary: vocabulary)
    }()

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
                // The sequence length a config allows reaches the tokenizer (its [CLS]/[SEP] room is a precondition).
                let config = try BertConfig(contentsOf: path)
                let length = min(config.maxPositions, 64)
                _ = tokenizer.encode("MMSE 24 of 30, two ε4 alleles", maxLength: length)
                _ = tokenizer.encode("What is the diagnosis?", "Subject 941_S_0001 is a 72-year-old woman.", maxLength: length)
            case .encoderConfig:
                // Sizes derived from the config (cost, the memory budget that sets how many cases run at once).
                let config = try EncoderConfig.load(path: path)
                _ = config.gflopsPerVolume
                _ = ResNet3D.workingSetBytes(config: config)
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
                // Lines refused with a reason count as the file's refusal (the rest of the set is still usable).
                if !set.problems.isEmpty { return .refused }
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
