import Cohort

/// Reading a diagnosis out of an LLM's answer: the cohort's three groups (MEMOIR-VLM: CN / MCI / Dementia).
extension Diagnosis {
    /// Accepts the schema's labels in any case, plus the spelled-out names a model may write
    /// ("cognitively normal", "mild cognitive impairment", "Alzheimer's disease", "AD"), and any "Alzheimer…" form.
    public init?(label: String) {
        let key = label.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)).lowercased()
            .replacingOccurrences(of: "’", with: "'")
        switch key {
        case "cn", "cognitively normal", "normal", "normal cognition", "healthy", "healthy control", "control":
            self = .cn
        case "mci", "mild cognitive impairment":
            self = .mci
        case "dementia", "ad", "dementia due to alzheimer's disease":
            self = .dementia
        default:
            // The disease's name alone, in any spelling: "Alzheimer's disease", "Alzheimers", "Alzheimer dementia", … (not
            // a longer label that only starts with it, such as "Alzheimer's disease (MCI stage)").
            guard key.hasPrefix("alzheimer"), Self.alzheimerEndings.contains(String(key.dropFirst("alzheimer".count))) else { return nil }
            self = .dementia
        }
    }

    /// What may follow "alzheimer" in the disease's name: alzheimer['s] [disease] [dementia].
    static let alzheimerEndings: Set<String> = Set(["", "s", "'s"].flatMap { p in
        ["", " disease"].flatMap { d in ["", " dementia"].map { p + d + $0 } }
    })
}
