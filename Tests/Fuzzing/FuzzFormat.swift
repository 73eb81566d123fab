/// The input formats the fuzzers cover, named as on the `memoir-bench fuzz --format` command line.
public enum FuzzFormat: String, CaseIterable, Sendable {
    case nifti
    case niftiGzip = "nifti-gz"
    case safetensors
    case bertConfig = "bert-config"
    case encoderConfig = "encoder-config"
    case cohortCSV = "cohort-csv"
    case adnimergeCSV = "adnimerge-csv"
    case qaJSONL = "qa-jsonl"

    /// File name a case is written under (the parsers read files; the suffix matters to none of them).
    public var fileName: String {
        switch self {
        case .nifti: "case.nii"
        case .niftiGzip: "case.nii.gz"
        case .safetensors: "case.safetensors"
        case .bertConfig, .encoderConfig: "config.json"
        case .cohortCSV: "cohort.csv"
        case .adnimergeCSV: "ADNIMERGE.csv"
        case .qaJSONL: "qa.jsonl"
        }
    }
}
