import Cohort
import Foundation

/// What Memoir itself computed about a case before the LLM is asked: the case's recorded values with
/// their interpretation and where they stand among the library's CN, MCI and Dementia subjects, the
/// neighbours given to the model, their vote, and the encoder's own heads (labelled as predictions).
/// It is printed with every answer, logged, returned by `--json`, and is what the LLM reads
/// (`promptText`); the verifier checks the answer's numbers and ids against it.
public struct Evidence: Sendable, Codable, Equatable {
    /// One recorded value of the case.
    public struct Reading: Sendable, Codable, Equatable {
        /// "MMSE", "MoCA", "ADAS-Cog 13", "brain parenchymal fraction", ...
        public var measure: String
        public var value: Double
        /// As printed: "24/30", "0.742".
        public var text: String
        /// What the value means by a published cut-off (cited in `ClinicalInterpretation`), when there is one.
        public var interpretation: String?
        /// Percent of the library's subjects of each recorded diagnosis with a value at or below this one (mid-rank).
        public var percentiles: [String: Int]
    }

    /// A neighbour given to the model, with the values a reader compares first.
    public struct NeighbourFacts: Sendable, Codable, Equatable {
        public var rank: Int
        public var subjectID: String
        public var diagnosis: Diagnosis
        /// Cosine similarity of the fused embeddings.
        public var similarity: Double
        public var age: Double?
        public var mmse: Double?
        public var moca: Double?
        public var adas13: Double?
        public var apoeE4: Int?
    }

    /// The neighbours' recorded diagnoses, each weighted by its share of the ordering score (softmax).
    public struct Vote: Sendable, Codable, Equatable {
        public var shares: [String: Double]
        public var counts: [String: Int]
        public var leading: Diagnosis
    }

    /// The fused encoder's heads on this case: predictions, never records.
    public struct EncoderHeads: Sendable, Codable, Equatable {
        public var probabilities: [String: Double]
        public var predicted: Diagnosis
        public var cdrsb: Double
        /// The CDR-SB head's test-split mean absolute error for these modalities, when known.
        public var cdrsbTestError: Double?
        public var modalities: String
    }

    public var caseID: String
    /// "74-year-old woman, 16 years of education".
    public var demographics: String
    public var readings: [Reading]
    /// "APOE ε3/ε4: one ε4 allele: about 3 times ..." when the genotype is recorded and clinical inputs are used.
    public var apoe: String?
    public var neighbours: [NeighbourFacts]
    public var vote: Vote
    public var encoder: EncoderHeads?
    /// What the evidence lacks or withholds, said plainly (no FA image; CDR-SB withheld).
    public var notes: [String]
    /// The neighbours' recorded later courses, one per group that can progress (CN, MCI) among the five:
    /// "Of the 3 most similar MCI subjects, 2 progressed to dementia within 24 months". Nil when the store holds
    /// no follow-up visits for them (a one-row-per-subject cohort).
    public var courses: [Prognosis]?
}

extension Evidence {
    /// The case's APOE genotype as printed ("ε3/ε4"), read from `apoe` ("APOE ε3/ε4 (one ε4 allele: …)").
    public var genotype: String? {
        guard let apoe, apoe.hasPrefix("APOE ") else { return nil }
        let genotype = apoe.dropFirst("APOE ".count).prefix { $0 != " " }
        return genotype.isEmpty ? nil : String(genotype)
    }
}
