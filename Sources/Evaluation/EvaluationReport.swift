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

    public init(results: EvaluationResults) {
        self.results = results
        backbones = EvaluationSummary.byBackbone(results.questions)
        subsets = EvaluationSummary.byModalities(results.questions)
    }

    static func f(_ v: Double?, _ digits: Int = 3) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "n/a" }
    static func seconds(_ v: Double?) -> String { v.map { String(format: "%.2f s", $0) } ?? "n/a" }
    static func accuracy(_ s: EvaluationSummary) -> String {
        s.diagnosisAccuracy.map { String(format: "%.3f (%d/%d)", $0, s.diagnosisCorrect, s.diagnosisQuestions) } ?? "n/a"
    }

    // MARK: Markdown

    public func markdown() -> String {
        var md = ["# \(results.title)", "", "\(results.questions.count) answers, \(results.date).", ""]
        if !results.settings.isEmpty {
            md += ["| setting | value |", "|---|---|"]
            md += results.settings.map { "| \(Self.cell($0.name)) | \(Self.cell($0.value)) |" }
            md.append("")
        }
        md += ["## Backbones", "",
               "| backbone | questions | failed | VQA diagnosis accuracy | balanced accuracy | macro-F1 | BERTScore P | BERTScore R | BERTScore F1 | SBERT cosine | latency p50 | latency p95 |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for s in backbones {
            md.append("| \(Self.cell(s.backbone)) | \(s.questions) | \(s.failed) | \(Self.accuracy(s)) | \(Self.f(s.classification?.balancedAccuracy)) | \(Self.f(s.classification?.macroF1)) | "
                      + "\(Self.f(s.bertScore?.precision)) | \(Self.f(s.bertScore?.recall)) | \(Self.f(s.bertScore?.f1)) | \(Self.f(s.sbertCosine)) | "
                      + "\(Self.seconds(s.latencyP50)) | \(Self.seconds(s.latencyP95)) |")
        }
        md += ["", "## By modality subset", "",
               "| backbone | modalities | questions | VQA diagnosis accuracy | BERTScore F1 | SBERT cosine | latency p50 |",
               "|---|---|---:|---:|---:|---:|---:|"]
        for s in subsets {
            md.append("| \(Self.cell(s.backbone)) | \(Self.cell(s.modalities ?? "")) | \(s.questions) | \(Self.accuracy(s)) | \(Self.f(s.bertScore?.f1)) | \(Self.f(s.sbertCosine)) | \(Self.seconds(s.latencyP50)) |")
        }
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
        md += ["Accuracy counts answers without a readable diagnosis as wrong; BERTScore and SBERT cosine are means over answered questions; latency percentiles are over successful questions (linear interpolation).", ""]
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
        let groups = ["VQA diagnosis accuracy", "BERTScore F1", "SBERT cosine"]
        let series = backbones.map { s in (name: s.backbone, values: [s.diagnosisAccuracy, s.bertScore?.f1, s.sbertCosine]) }
        h.append("<figure>" + SVGChart.groupedBars(title: "Backbone comparison", groups: groups, series: series) + "</figure>")
        h.append("<table><tr><th>backbone</th><th>questions</th><th>failed</th><th>VQA diagnosis accuracy</th><th>BERTScore P</th><th>BERTScore R</th>"
                 + "<th>BERTScore F1</th><th>SBERT cosine</th><th>latency p50</th><th>latency p95</th></tr>"
                 + backbones.map { s in
                     "<tr><td>\(e(s.backbone))</td><td>\(s.questions)</td><td>\(s.failed)</td><td>\(Self.accuracy(s))</td><td>\(Self.f(s.bertScore?.precision))</td>"
                     + "<td>\(Self.f(s.bertScore?.recall))</td><td>\(Self.f(s.bertScore?.f1))</td><td>\(Self.f(s.sbertCosine))</td>"
                     + "<td>\(Self.seconds(s.latencyP50))</td><td>\(Self.seconds(s.latencyP95))</td></tr>"
                 }.joined() + "</table>")
        h.append("<h2>Diagnosis confusion</h2><div class=\"maps\">")
        let labels = EvaluationSummary.labels.map(\.rawValue)
        for s in backbones {
            h.append("<figure>" + SVGChart.heatMap(title: s.backbone, labels: labels, matrix: s.confusion,
                                                    extra: (label: "none", counts: s.undiagnosed)) + "</figure>")
        }
        h.append("</div><h2>By modality subset</h2>")
        h.append("<figure>" + SVGChart.table(
            title: "Modality subsets",
            header: ["backbone", "modalities", "accuracy", "BERTScore F1", "SBERT cosine"],
            rows: subsets.map { [$0.backbone, $0.modalities ?? "", Self.f($0.diagnosisAccuracy), Self.f($0.bertScore?.f1), Self.f($0.sbertCosine)] },
            values: subsets.map { [$0.diagnosisAccuracy, $0.bertScore?.f1, $0.sbertCosine] }) + "</figure>")
        h.append("<p>Accuracy counts answers without a readable diagnosis as wrong; BERTScore and SBERT cosine are means over answered questions; "
                 + "latency percentiles are over successful questions (linear interpolation).</p>")
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
