import Foundation

extension EncoderEvaluation {
    /// The per-subset table and the confusion matrices, as Markdown.
    public var markdown: String {
        func f(_ x: Double?, _ digits: Int = 3) -> String { x.map { String(format: "%.\(digits)f", $0) } ?? "–" }
        var out = """
            | modalities | n | had all | 3-class bal. acc. | 3-class macro-F1 | 3-class OvR AUC | CN-vs-Dem. n | CN-vs-Dem. bal. acc. | CN-vs-Dem. AUC | age MAE (y) | CDR-SB MAE | sex acc. |
            |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|

            """
        for s in subsets {
            out += "| \(s.subset) | \(s.n) | \(s.complete) | \(f(s.diagnosis.balancedAccuracy)) | \(f(s.diagnosis.macroF1)) | "
                + "\(f(s.diagnosis.macroROCAUC)) | \(s.cnVsDementia.count) | \(f(s.cnVsDementia.balancedAccuracy)) | "
                + "\(f(s.cnVsDementia.rocAUC(for: "Dementia"))) | \(f(s.age?.meanAbsoluteError, 2)) | \(f(s.cdrsb?.meanAbsoluteError, 2)) | "
                + "\(f(s.sex.accuracy)) |\n"
        }
        out += "\nConfusion matrices (rows: recorded, columns: predicted).\n"
        for s in subsets {
            out += "\n**\(s.subset)** — 3-class: " + Self.inline(s.diagnosis) + "; CN vs Dementia: " + Self.inline(s.cnVsDementia) + "\n"
        }
        if !failures.isEmpty { out += "\n\(failures.count) of \(cases) cases could not be read: " + failures.joined(separator: "; ") + "\n" }
        return out
    }

    /// `CN→[CN 80, MCI 10, Dementia 2]`-style one-line matrix.
    static func inline(_ m: ClassificationMetrics) -> String {
        m.labels.indices.map { t in
            m.labels[t] + " → [" + m.labels.indices.map { "\(m.labels[$0]) \(m.confusion[t][$0])" }.joined(separator: ", ") + "]"
        }.joined(separator: "; ")
    }
}
