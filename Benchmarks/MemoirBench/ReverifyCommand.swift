import Answering
import ArgumentParser
import Cohort
import Foundation

/// Re-verifies the replies a stored `eval vqa` run kept, under the rules this binary holds: when the rules change
/// after a run (or during one), its verdicts can be read again without asking the model again.
struct ReverifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverify",
        abstract: "Re-verify a run's kept replies (Fixtures/verifier/export.py STORE RUN - > FILE) under the current rules.",
        discussion: """
            Prints one JSON line per reply ({"qa_id", "verdict_then", "verdict_now", "issues_now"}) with --json, else a
            summary: verdicts then and now, and the replies whose verdict changed.
            """)

    @Option(help: "JSONL written by Fixtures/verifier/export.py (with LABELS \"-\" for every kept reply).")
    var lines: String

    @Flag(help: "One JSON line per reply.")
    var json = false

    struct Line: Decodable {
        let qa_id: String, question: String, evidence: Evidence, context_ids: [String]
        let answer: String, findings: [ParsedAnswer.Finding], diagnosis: String?, verdict_then: String?
        let expected_diagnosis: String?, text_diagnosis_then: String?
    }

    struct Row: Encodable {
        let qa_id: String, verdict_then: String?, verdict_now: String, issues_now: [String]
        let expected_diagnosis: String?, text_diagnosis_then: String?, text_diagnosis_now: String?
    }

    func run() throws {
        guard let text = try? String(contentsOfFile: lines, encoding: .utf8) else { throw ValidationError("cannot read \(lines)") }
        var rows: [Row] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let item: Line
            do { item = try JSONDecoder().decode(Line.self, from: Data(line.utf8)) } catch {
                throw ValidationError("\(lines) line \(n + 1): \(error)")
            }
            let verifier = AnswerVerifier(evidence: item.evidence, contextIDs: item.context_ids, question: item.question)
            let answer = ParsedAnswer(diagnosis: item.diagnosis.flatMap { Diagnosis(label: $0) }, answer: item.answer,
                                      findings: item.findings, citedSubjectIDs: [], source: .structured)
            // A reply cut at the token budget stays cut: the export keeps no finish reason, and no rule reads a cut reply.
            let verdict = item.verdict_then == Verdict.Status.truncated.rawValue
                ? Verdict(status: .truncated, issues: ["the reply hit the token budget before it finished"])
                : verifier.verify(answer, finishReason: "stop")
            // The diagnosis the text states, read as the evaluation reads it now (none or several: nil).
            let stated = (try? AnswerParser.diagnosis(inProse: item.answer, excerpt: ""))?.rawValue
            rows.append(Row(qa_id: item.qa_id, verdict_then: item.verdict_then, verdict_now: verdict.status.rawValue, issues_now: verdict.issues,
                            expected_diagnosis: item.expected_diagnosis, text_diagnosis_then: item.text_diagnosis_then, text_diagnosis_now: stated))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for row in rows { print(String(decoding: try encoder.encode(row), as: UTF8.self)) }
            return
        }
        func counts(_ values: [String]) -> String {
            Dictionary(grouping: values, by: { $0 }).map { "\($0.key) \($0.value.count)" }.sorted().joined(separator: ", ")
        }
        print("rules \(AnswerVerifier.rulesVersion), \(rows.count) replies")
        print("then: " + counts(rows.map { $0.verdict_then ?? "?" }))
        print("now:  " + counts(rows.map(\.verdict_now)))
        let diagnostic = rows.filter { $0.expected_diagnosis != nil }
        if !diagnostic.isEmpty {
            let then = diagnostic.filter { $0.text_diagnosis_then != nil && $0.text_diagnosis_then == $0.expected_diagnosis }.count
            let now = diagnostic.filter { $0.text_diagnosis_now != nil && $0.text_diagnosis_now == $0.expected_diagnosis }.count
            print("diagnosis from the text: then \(then) of \(diagnostic.count), now \(now) of \(diagnostic.count) (kept replies only; failed asks are not exported)")
        }
        // The text's diagnosis is scored (and stored) for diagnosis questions only.
        func readingChanged(_ row: Row) -> Bool { row.expected_diagnosis != nil && row.text_diagnosis_then != row.text_diagnosis_now }
        for row in rows where row.verdict_then != row.verdict_now || readingChanged(row) {
            let reading = readingChanged(row)
                ? " (text diagnosis \(row.text_diagnosis_then ?? "none") → \(row.text_diagnosis_now ?? "none"))" : ""
            print("\(row.qa_id): \(row.verdict_then ?? "?") → \(row.verdict_now)\(reading)" + (row.issues_now.isEmpty ? "" : ": " + row.issues_now.joined(separator: "; ")))
        }
    }
}
