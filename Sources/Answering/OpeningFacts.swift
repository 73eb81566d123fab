import Foundation

/// What prompt v8's openings state beyond v7's: the case's recorded value after the measure an answer or finding opens
/// on, and a subject's recorded diagnosis after its id. Under v7 the openings named the measure or the id and the model
/// wrote the value: Qwen2.5-0.5B gave the demo case's MMSE as 2 (it is 26) and a neighbour's similarity as 21, and
/// Qwen2.5-Coder-1.5B's unsupported answers misquoted values more often than any other claim. Values Memoir writes
/// cannot be misquoted; the model continues with what they mean.
public struct OpeningFacts: Sendable, Equatable {
    /// Measure (as `PromptTemplate.caseMeasures` names it) → the value as the evidence prints it: "MMSE" → "26/30",
    /// "APOE genotype" → "ε3/ε4".
    public var caseValues: [String: String]
    /// Subject id → its recorded diagnosis.
    public var recordedDiagnoses: [String: String]

    public init(caseValues: [String: String] = [:], recordedDiagnoses: [String: String] = [:]) {
        self.caseValues = caseValues
        self.recordedDiagnoses = recordedDiagnoses
    }

    public init(_ evidence: Evidence) {
        var values: [String: String] = [:]
        for reading in evidence.readings where values[reading.measure] == nil { values[reading.measure] = reading.text }
        if let genotype = evidence.genotype { values[AnswerPlan.genotype] = genotype }
        self.init(caseValues: values,
                  recordedDiagnoses: Dictionary(evidence.neighbours.map { ($0.subjectID, $0.diagnosis.rawValue) }, uniquingKeysWith: { a, _ in a }))
    }

    /// `opening` (one of `AnswerPlan`'s) with its fact stated: "The case's MMSE " → "The case's MMSE of 26/30 ",
    /// "The case's APOE genotype is " → "The case's APOE genotype is ε3/ε4, ", "215_S_0257 " → "215_S_0257, recorded
    /// Dementia, had " (the verb, because after "…, recorded Dementia, " Qwen2.5-0.5B copied the rest of the subject's
    /// evidence line, "similarity 0.998, age 80, MMSE 30, …", as its finding). An opening whose measure or subject has no
    /// recorded fact is returned as it is.
    public func stating(_ opening: String) -> String {
        let casePrefix = "The case's "
        if opening.hasPrefix(casePrefix) {
            let rest = opening.dropFirst(casePrefix.count)
            if rest.hasSuffix(" is "), let value = caseValues[String(rest.dropLast(4))] { return opening + value + ", " }
            if rest.hasSuffix(" "), let value = caseValues[String(rest.dropLast())] { return opening + "of " + value + " " }
            return opening
        }
        if opening.hasSuffix(" "), let diagnosis = recordedDiagnoses[String(opening.dropLast())] {
            return opening.dropLast() + ", recorded " + diagnosis + ", had "
        }
        return opening
    }
}
