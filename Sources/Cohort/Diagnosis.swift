import Foundation

/// The three-way clinical diagnosis used by ADNIMERGE's `DX` column.
public enum Diagnosis: String, Sendable, CaseIterable, Codable, Comparable {
    case cn = "CN"
    case mci = "MCI"
    case dementia = "Dementia"

    /// Accepts ADNI spellings: CN/NL/HC/Normal/SMC (significant memory concern, cognitively normal), MCI/EMCI/LMCI, Dementia/AD.
    public init?(parsing text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "cn", "nl", "hc", "smc", "normal", "cognitively normal", "control": self = .cn
        case "mci", "emci", "lmci", "mild cognitive impairment": self = .mci
        case "dementia", "ad", "alzheimer's disease", "alzheimers disease": self = .dementia
        default: return nil
        }
    }

    public var index: Int { Diagnosis.allCases.firstIndex(of: self)! }
    public var longName: String {
        switch self {
        case .cn: "cognitively normal"
        case .mci: "mild cognitive impairment"
        case .dementia: "dementia"
        }
    }

    public static func < (a: Diagnosis, b: Diagnosis) -> Bool { a.index < b.index }
}
