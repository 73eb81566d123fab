import Cohort
import Foundation

/// Renders `EvaluationResults` as Markdown and as one self-contained HTML page with inline SVG
/// charts (backbone comparison bars, a confusion heat map per backbone, the modality-subset
/// table), and writes them with the results JSON into a folder. Numbers are computed here from
/// the per-question records (`EvaluationSummary`), never passed in pre-made.
public struct EvaluationReport: Sendable {
    public let results: EvaluationResults
    public let backbones: [EvaluationSummary]
    public let subsets: [EvaluationSummary]
    public let categories: [EvaluationSummary]

    public init(results: EvaluationResults) {
        self.results = results
        backbones = EvaluationSummary.byBackbone(results.questions)
        subsets = EvaluationSummary.byModalities(results.questions)
        categories = EvaluationSummary.byCategory(results.questions)
    }

    static func f(_ v: Double?, _ digits: Int = 3) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "n/a" }
    static func seconds(_ v: Double?) -> String { v.map { String(format: "%.2f s", $0) } ?? "n/a" }
    static func accuracy(_ s: EvaluationSummary) -> String { rate(s.accuracy) }
    static func rate(_ p: Proportion?) -> String { p?.text ?? "n/a" }

    /// The columns every summary table shares (backbone, category and subset tables alike).
    static let header = ["questions", "failed", "VQA diagnosis accuracy (text) [95% CI]", "text = field", "course accuracy (text)", "grounded", "truncated",
                         "degenerate", "repaired", "unsupported claims / answer", "BERTScore F1", "SBERT cosine", "TTFT p50", "total p50"]
    static func columns(_ s: EvaluationSummary) -> [String] {
        ["\(s.questions)", "\(s.failed)", accuracy(s), rate(s.fieldAgreement), rate(s.courseAccuracy), rate(s.grounded), rate(s.truncated), rate(s.degenerate),
         "\(s.repaired)", f(s.unsupportedClaimsPerAnswer, 2), f(s.bertScore?.f1), f(s.sbertCosine), seconds(s.ttftP50), seconds(s.latencyP50)]
    }

    static let note = "Accuracy is the diagnosis named by the answer's text (none or several counts as wrong); \"text = field\" is how often "
        + "the text names the schema's diagnosis field; \"course accuracy\" is, for prognosis questions, how often the text states the "
        + "subject's own recorded 24-month course (progressed or stable; none or both counts as wrong). Rates are over every question of the row (a failed call has no verdict, so it is not "
        + "grounded), each with a Wilson 95% interval; \"n<30\" marks an interval too wide to rank rows by. \"\(VQAEvaluation.evidenceOnlyName)\" "
        + "is Memoir's templated answer from the same evidence, no LLM. BERTScore and SBERT cosine are means over answered questions; time to "
        + "first token (streamed, from the request) and total time (retrieval and LLM) are medians over successful questions."

    func markdownTable(_ first: [String], _ rows: [EvaluationSummary], _ key: (EvaluationSummary) -> [String]) -> [String] {
        ["| " + (first + Self.header).joined(separator: " | ") + " |",
         "|" + String(repeating: "---|", count: first.count) + String(repeating: "---:|", count: Self.header.count)]
            + rows.map { s in "| " + (key(s) + Self.columns(s)).map(Self.cell).joined(separator: " | ") + " |" }
    }

    func htmlTable(_ first: [String], _ rows: [EvaluationSummary], _ key: (EvaluationSummary) -> [String]) -> String {
        let e = SVGChart.escape
        return "<table><tr>" + (first + Self.header).map { "<th>\(e($0))</th>" }.joined() + "</tr>"
            + rows.map { s in "<tr>" + (key(s) + Self.columns(s)).map { "<td>\(e($0))</td>" }.joined() + "</tr>" }.joined() + "</table>"
    }

    // MARK: Markdown

    public func markdown() -> String {
        var md = ["# \(results.title)", "", "\(results.questions.count) answers, \(results.date).", ""]
        if !results.settings.isEmpty {
            md += ["| setting | value |", "|---|---|"]
            md += results.settings.map { "| \(Self.cell($0.name)) | \(Self.cell($0.value)) |" }
            md.append("")
        }
        md += ["## Backbones", ""] + markdownTable(["backbone"], backbones) { [$0.backbone] }
        md += ["", "| backbone | balanced accuracy | macro-F1 | BERTScore P | BERTScore R | total p95 |", "|---|---:|---:|---:|---:|---:|"]
        md += backbones.map { s in
            "| \(Self.cell(s.backbone)) | \(Self.f(s.classification?.balancedAccuracy)) | \(Self.f(s.classification?.macroF1)) | "
                + "\(Self.f(s.bertScore?.precision)) | \(Self.f(s.bertScore?.recall)) | \(Self.seconds(s.latencyP95)) |"
        }
        md += ["", "## By category", ""] + markdownTable(["backbone", "category"], categories) { [$0.backbone, $0.category ?? ""] }
        md += ["", "## By modality subset", ""] + markdownTable(["backbone", "modalities"], subsets) { [$0.backbone, $0.modalities ?? ""] }
        md += ["", "## Diagnosis confusion (rows: true, columns: predicted)", ""]
        let labels = EvaluationSummary.labels.map(\.rawValue)
        for s in backbones {
            md += ["### \(s.backbone)", "", "| true \\ predicted | " + labels.joined(separator: " | ") + " | no diagnosis |",
                   "|---|" + String(repeating: "---:|", count: labels.count + 1)]
            for (i, label) in labels.enumerated() {
                md.append("| \(label) | " + s.confusion[i].map(String.init).joined(separator: " | ") + " | \(s.undiagnosed[i]) |")
            }
            md.append("")
        }
        let failures = results.questions.filter { $0.error != nil }
        if !failures.isEmpty {
            md += ["## Failed questions", "", "| backbone | question | error |", "|---|---|---|"]
            md += failures.prefix(50).map { "| \(Self.cell($0.backbone)) | \(Self.cell($0.qaID)) | \(Self.cell($0.error ?? "")) |" }
            if failures.count > 50 { md.append("| … | \(failures.count - 50) more | |") }
            md.append("")
        }
        md += [Self.note, ""]
        return md.joined(separator: "\n")
    }

    /// A Markdown table cell: pipes escaped, line breaks flattened.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    // MARK: HTML

    public func html() -> String {
        let e = SVGChart.escape
        var h = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(e(results.title))</title>",
                 "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}"
                 + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
                 + "figure{margin:1em 0}.maps{display:flex;flex-wrap:wrap;gap:1em}</style></head><body>",
                 "<h1>\(e(results.title))</h1>", "<p>\(results.questions.count) answers, \(e(results.date)).</p>"]
        if !results.settings.isEmpty {
            h.append("<table><tr><th>setting</th><th>value</th></tr>"
                     + results.settings.map { "<tr><td>\(e($0.name))</td><td style=\"text-align:left\">\(e($0.value))</td></tr>" }.joined() + "</table>")
        }
        h.append("<h2>Backbones</h2>")
        let groups = ["VQA diagnosis accuracy", "grounded", "BERTScore F1", "SBERT cosine"]
        let series = backbones.map { s in (name: s.backbone, values: [s.diagnosisAccuracy, s.grounded?.value, s.bertScore?.f1, s.sbertCosine]) }
        h.append("<figure>" + SVGChart.groupedBars(title: "Backbone comparison", groups: groups, series: series) + "</figure>")
        h.append(htmlTable(["backbone"], backbones) { [$0.backbone] })
        h.append("<h2>By category</h2>" + htmlTable(["backbone", "category"], categories) { [$0.backbone, $0.category ?? ""] })
        h.append("<h2>Diagnosis confusion</h2><div class=\"maps\">")
        let labels = EvaluationSummary.labels.map(\.rawValue)
        for s in backbones {
            h.append("<figure>" + SVGChart.heatMap(title: s.backbone, labels: labels, matrix: s.confusion,
                                                    extra: (label: "none", counts: s.undiagnosed)) + "</figure>")
        }
        h.append("</div><h2>By modality subset</h2>" + htmlTable(["backbone", "modalities"], subsets) { [$0.backbone, $0.modalities ?? ""] })
        h.append("<figure>" + SVGChart.table(
            title: "Modality subsets",
            header: ["backbone", "modalities", "accuracy", "BERTScore F1", "SBERT cosine"],
            rows: subsets.map { [$0.backbone, $0.modalities ?? "", Self.f($0.diagnosisAccuracy), Self.f($0.bertScore?.f1), Self.f($0.sbertCosine)] },
            values: subsets.map { [$0.diagnosisAccuracy, $0.bertScore?.f1, $0.sbertCosine] }) + "</figure>")
        h.append("<p>\(e(Self.note))</p>")
        h.append("</body></html>")
        return h.joined(separator: "\n") + "\n"
    }

    // MARK: Writing

    /// Writes report.md, report.html and results.json into `folder` (created if needed), each
    /// atomically (temporary file renamed into place). Returns the paths written.
    @discardableResult
    public func write(to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let files: [(String, Data)] = [
            ("results.json", try encoder.encode(results)),
            ("report.md", Data(markdown().utf8)),
            ("report.html", Data(html().utf8)),
        ]
        return try files.map { name, data in
            let path = (folder as NSString).appendingPathComponent(name)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            return path
        }
    }
}
