import Cohort
import Evaluation
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

@Suite struct EvaluationReportTests {
    static let backbones = ["Mistral <7B> & co", "Gemma \"26B\"", "MedGemma 4B"]
    static let subsets = ["t1+fa+clinical", "clinical"]

    /// Random per-question records (seeded), with failures and unreadable diagnoses mixed in.
    static func synthetic(seed: UInt64 = 7) -> EvaluationResults {
        var rng = SeededGenerator(seed: seed)
        var questions: [QuestionResult] = []
        for (b, backbone) in backbones.enumerated() {
            for subset in subsets {
                for q in 0..<20 {
                    let expected = Diagnosis.allCases[Int(rng.next() % 3)]
                    let failed = rng.uniform() < 0.1
                    let correct = rng.uniform() < 0.9 - 0.3 * Double(b)
                    let predicted: Diagnosis? = failed || rng.uniform() < 0.05 ? nil
                        : correct ? expected : Diagnosis.allCases[(expected.index + 1 + Int(rng.next() % 2)) % 3]
                    let f1 = 0.7 + 0.2 * rng.uniform()
                    questions.append(QuestionResult(
                        qaID: "S\(q)/diagnosis", caseID: "S\(q)", backbone: backbone, modalities: subset, category: .diagnosis,
                        textDiagnosis: predicted, expectedDiagnosis: expected, answer: failed ? "" : "Answer \(q)", reference: "Ref \(q)",
                        bertScore: failed ? nil : BERTScore(precision: f1 + 0.01, recall: f1 - 0.01, f1: f1),
                        sbertCosine: failed ? nil : 0.5 + 0.4 * rng.uniform(), latencySeconds: 1 + 3 * rng.uniform(),
                        error: failed ? "LLM timed out" : nil))
                }
            }
        }
        return EvaluationResults(date: "2026-11-23T12:00:00Z",
                                 settings: [.init("prompt version", "v1"), .init("QA file SHA-256", "abc|def")], questions: questions)
    }

    @Test func summariesAreComputedFromTheRecords() throws {
        let results = Self.synthetic()
        let report = EvaluationReport(results: results)
        #expect(report.backbones.map(\.backbone) == Self.backbones)
        #expect(report.subsets.count == Self.backbones.count * Self.subsets.count)
        for s in report.backbones {
            let mine = results.questions.filter { $0.backbone == s.backbone }
            let correct = mine.filter { $0.textDiagnosis != nil && $0.textDiagnosis == $0.expectedDiagnosis }.count
            #expect(s.diagnosisCorrect == correct && s.diagnosisQuestions == mine.count)
            #expect(s.failed == mine.filter { $0.error != nil }.count)
            let confusionTotal = s.confusion.joined().reduce(0, +) + s.undiagnosed.reduce(0, +)
            #expect(confusionTotal == mine.count)
            #expect(s.confusion.indices.map { s.confusion[$0][$0] }.reduce(0, +) == correct)
            let f1s = mine.compactMap { $0.bertScore?.f1 }
            #expect(abs(s.bertScore!.f1 - f1s.reduce(0, +) / Double(f1s.count)) < 1e-12)
        }
        #expect(report.backbones[0].diagnosisAccuracy! > report.backbones[2].diagnosisAccuracy!)
    }

    @Test func percentilesInterpolateLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [50, 95]) == [3.0, 8.8]
        #expect(EvaluationSummary.percentile([1, 2, 3, 4, 10], 0.5) == 3)
        #expect(abs(EvaluationSummary.percentile([1, 2, 3, 4, 10], 0.95)! - 8.8) < 1e-12)
        #expect(EvaluationSummary.percentile([], 0.5) == nil)
    }

    @Test func markdownHoldsTheNumbers() {
        let report = EvaluationReport(results: Self.synthetic())
        let md = report.markdown()
        for s in report.backbones {
            #expect(md.contains(String(format: "%.3f [", s.diagnosisAccuracy!) + String(format: "%.3f, %.3f] (%d/%d)", s.accuracy!.low, s.accuracy!.high,
                                                                                       s.diagnosisCorrect, s.diagnosisQuestions)))
            #expect(md.contains(String(format: "%.3f", s.bertScore!.f1)))
            #expect(md.contains(String(format: "%.2f s", s.latencyP95!)))
        }
        #expect(md.contains("abc\\|def"), "pipes in cells are escaped")
        #expect(md.contains("| Dementia | "))
    }

    @Test func htmlIsSelfContainedWithWellFormedSVG() throws {
        let report = EvaluationReport(results: Self.synthetic())
        let html = report.html()
        #expect(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"))
        #expect(html.contains("Mistral &lt;7B&gt; &amp; co") && !html.contains("Mistral <7B>"))
        let svgs = Self.svgElements(in: html)
        #expect(svgs.count == 1 + Self.backbones.count + 1, "bars, one heat map per backbone, subset table")
        for svg in svgs {
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        }
        // Each heat map shows every confusion count.
        for (s, svg) in zip(report.backbones, svgs.dropFirst()) {
            for count in s.confusion.joined() { #expect(svg.contains(">\(count)</text>")) }
        }
        #expect(svgs[0].contains(String(format: ">%.3f</text>", report.backbones[1].sbertCosine!)))
    }

    @Test func writeCreatesTheThreeFilesAtomically() throws {
        let folder = try TemporaryFolder(), dir = folder.file("report")
        let results = Self.synthetic()
        let paths = try EvaluationReport(results: results).write(to: dir)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["report.md", "report.html", "results.json"])
        #expect(paths.count == 3)
        let decoded = try JSONDecoder().decode(EvaluationResults.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/results.json")))
        #expect(decoded == results)
    }

    @Test func xmlEscapingDropsForbiddenCharacters() {
        #expect(SVGChart.escape("a<b>&\"'\u{1}\u{7}c\n") == "a&lt;b&gt;&amp;&quot;&#39;c\n")
        let svg = SVGChart.heatMap(title: "x\u{1}<y>", labels: ["A", "B"], matrix: [[1, 2], [3, 4]])
        #expect(XMLParser(data: Data(svg.utf8)).parse())
    }

    static func svgElements(in html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            out.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return out
    }
}
