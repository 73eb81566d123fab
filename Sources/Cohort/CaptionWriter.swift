import Foundation

/// Serialises a case's facts as short sentences (SMART-style), the only thing the LLM sees of a case.
public enum CaptionWriter {
    /// `includeDiagnosis` is false for the query case, whose diagnosis is what is being asked.
    public static func caption(_ r: CaseRecord, measures: ImageMeasures, includeDiagnosis: Bool = true) -> String {
        var s: [String] = []
        var who = "Subject \(r.subjectID)"
        switch (r.age, r.sex) {
        case let (age?, sex?): who += " is a \(Int(age.rounded()))-year-old \(sex == .female ? "woman" : "man")"
        case let (age?, nil): who += " is \(Int(age.rounded())) years old"
        case let (nil, sex?): who += " is a \(sex == .female ? "woman" : "man") of unrecorded age"
        case (nil, nil): who += " has unrecorded age and sex"
        }
        if let e = r.education { who += " with \(Int(e.rounded())) years of education" }
        s.append(who + ".")
        if let v = r.visit { s.append(visitLine(v)) }
        if includeDiagnosis { s.append("Diagnosis: \(r.diagnosis.longName) (\(r.diagnosis.rawValue)).") }
        s.append(score("MMSE", r.mmse, of: 30))
        s.append(score("CDR-SB", r.cdrsb, of: 18))
        s.append(score("ADAS-Cog 11", r.adas11, of: 70))
        s.append(score("ADAS-Cog 13", r.adas13, of: 85))
        s.append(score("MoCA", r.moca, of: 30))
        if let g = r.apoe, r.apoeFromE4Count {
            let count = ["no APOE ε4 allele", "one APOE ε4 allele", "two APOE ε4 alleles"][g.e4Count]
            s.append("Carries \(count) (ε4 count only; ε2 status unknown).")
        } else if let g = r.apoe {
            let count = ["no APOE ε4 allele", "one APOE ε4 allele", "two APOE ε4 alleles"][g.e4Count]
            s.append("Carries \(count) (\(g)).")
        } else {
            s.append("APOE genotype was not recorded.")
        }
        s.append(imageLine(r, measures))
        if measures.unregistered == true {
            s.append("Warning: the images failed the MNI152 registration check and were accepted unregistered; image findings are unreliable.")
        }
        return s.joined(separator: " ")
    }

    static func visitLine(_ v: VisitInfo) -> String {
        let date = v.examDate.map { ", exam \($0)" } ?? ""
        if v.isBaseline { return "Baseline visit (bl\(date))." }
        return "Visit \(v.code), \(format((v.months * 10).rounded() / 10)) months after baseline\(date)."
    }

    static func score(_ name: String, _ value: Double?, of maximum: Int) -> String {
        guard let value else { return "\(name) was not recorded." }
        return "\(name) is \(format(value)) of \(maximum)."
    }

    static func imageLine(_ r: CaseRecord, _ m: ImageMeasures) -> String {
        var parts: [String] = []
        if r.t1Path != nil {
            parts.append(m.brainParenchymalFraction.map { "T1 MRI brain parenchymal fraction is \(String(format: "%.3f", $0))." }
                         ?? "T1 MRI is available.")
        } else {
            parts.append("No T1 MRI.")
        }
        if r.faPath != nil {
            parts.append(m.whiteMatterFA.map { "DTI mean white-matter FA is \(String(format: "%.3f", $0))." } ?? "DTI-FA is available.")
        } else {
            parts.append("No DTI scan.")
        }
        return parts.joined(separator: " ")
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }
}
