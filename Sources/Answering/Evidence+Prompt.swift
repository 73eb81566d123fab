import Foundation
import Cohort

extension Evidence {
    /// The compact text the LLM reads in place of five captions: the case, the encoder's estimate, the
    /// neighbours and their vote. The case's own id is not shown (only the five neighbours may be cited).
    public var promptText: String {
        var lines = ["CASE UNDER REVIEW: \(demographics)."]
        if let apoe { lines.append("- \(apoe)") }
        for r in readings {
            var line = "- \(r.measure) \(r.text)"
            if let i = r.interpretation { line += " (\(i))" }
            if !r.percentiles.isEmpty {
                line += "; percentile among library " + Diagnosis.allCases.compactMap { d in
                    r.percentiles[d.rawValue].map { "\(d.rawValue) \($0)" }
                }.joined(separator: ", ")
            }
            lines.append(line)
        }
        if !notes.isEmpty { lines.append("- Not available: " + notes.joined(separator: "; ") + ".") }
        if let e = encoder {
            let probabilities = Diagnosis.allCases.map { "\($0.rawValue) \(EvidenceBuilder.percent(e.probabilities[$0.rawValue] ?? 0))%" }
            lines.append("ENCODER ESTIMATE (a model's prediction from \(e.modalities), not a record): "
                + probabilities.joined(separator: ", ") + "; CDR-SB \(EvidenceBuilder.number(e.cdrsb))"
                + (e.cdrsbTestError.map { " (typical error ±\(EvidenceBuilder.number($0)))" } ?? "") + ".")
        }
        lines.append("MOST SIMILAR HISTORICAL SUBJECTS (most similar first; the only ids you may cite):")
        for n in neighbours {
            var facts = ["recorded diagnosis \(n.diagnosis.rawValue)", "similarity " + String(format: "%.3f", n.similarity)]
            if let a = n.age { facts.append("age \(EvidenceBuilder.whole(a))") }
            if let m = n.mmse { facts.append("MMSE \(EvidenceBuilder.number(m))") }
            if let m = n.moca { facts.append("MoCA \(EvidenceBuilder.number(m))") }
            if let a = n.adas13 { facts.append("ADAS-Cog 13 \(EvidenceBuilder.number(a))") }
            if let e = n.apoeE4 { facts.append("APOE ε4 alleles \(e)") }
            lines.append("[\(n.rank)] \(n.subjectID): " + facts.joined(separator: ", "))
        }
        let shares = Diagnosis.allCases.map { d in
            "\(d.rawValue) \(EvidenceBuilder.percent(vote.shares[d.rawValue] ?? 0))% (\(vote.counts[d.rawValue] ?? 0) of \(neighbours.count))"
        }
        lines.append("NEIGHBOURS' VOTE (weighted by similarity): " + shares.joined(separator: ", ") + "; leading: \(vote.leading.rawValue).")
        if encoder != nil {
            let reading = readingShares
            let parts = Diagnosis.allCases.map { "\($0.rawValue) \(EvidenceBuilder.percent(reading[$0.rawValue] ?? 0))%" }
            lines.append("MEMOIR'S READING (the vote and the estimate averaged): " + parts.joined(separator: ", ") + "; leading: \(self.reading.rawValue).")
        }
        if let courses, !courses.isEmpty {
            lines.append("LATER COURSES (the neighbours' recorded follow-up, not this case's): " + courses.map(\.statement).joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}
