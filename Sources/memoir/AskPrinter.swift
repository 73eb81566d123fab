import Answering
import Foundation

/// `memoir ask`'s human-readable output: the evidence first, then the answer under its verdict, so an
/// answer the verifier did not pass is never shown as a plain answer.
struct AskPrinter {
    let result: AskResult
    let model: String?

    func print() {
        let r = result
        Swift.print("EVIDENCE (computed by Memoir)")
        for line in r.prepared.evidence.promptText.split(separator: "\n") { Swift.print("  " + line) }
        Swift.print("")
        let v = r.verdict
        Swift.print(v.isGrounded ? "ANSWER (verified: every id, number and diagnosis is in the evidence)"
            : "UNVERIFIED ANSWER — \(Self.label(v.status)); do not rely on it:")
        if let d = r.answer.diagnosis { Swift.print("Diagnosis: \(d.rawValue)") }
        let statements = EvidenceStatements(r.prepared.evidence)
        // Under prompt v11 the answer is one of Memoir's sentences too (v10: a diagnosis answer's reason).
        if statements.answerQuotes(r.answer.answer) { Swift.print("Answer (Memoir's sentence, chosen by the model):") }
        Swift.print(TerminalText.safe(r.answer.answer))
        if !r.answer.findings.isEmpty {
            // Under prompt v9 on the findings are Memoir's sentences, chosen by the model: say whose words they are.
            Swift.print(r.answer.findings.allSatisfy { statements.quotes($0.finding) } ? "Findings (Memoir's sentences, chosen by the model):" : "Findings:")
            for f in r.answer.findings { Swift.print("  - [\(TerminalText.safe(f.source))] \(TerminalText.safe(f.finding))") }
        }
        Swift.print("Cited: \(r.answer.citedSubjectIDs.isEmpty ? "none" : r.answer.citedSubjectIDs.joined(separator: ", "))")
        Swift.print("Verdict: \(v.status.rawValue)" + (v.issues.isEmpty ? "" : " — " + v.issues.map(TerminalText.safe).joined(separator: "; ")))
        if !v.isGrounded {
            let own = EvidenceAnswer.answer(r.prepared.evidence, kind: r.prepared.questionKind)
            Swift.print("MEMOIR'S OWN READING OF THE EVIDENCE (no LLM): " + own.answer)
        }
        if let first = r.firstVerdict {
            Swift.print("(one repair round: the first reply was \(first.status.rawValue)" + (first.issues.first.map { ": \(TerminalText.safe($0))" } ?? "") + ")")
        }
        let t = r.timings
        let tokens = r.response.usage.map { ", \($0.promptTokens) prompt tokens" } ?? ""
        Swift.print(String(format: "question kind %@, prompt %@, model %@%@; %.0f ms before the LLM (embed %.0f, search %.1f, rerank %.0f, evidence %.0f, prompt %.1f), first token %.1f s, LLM %.1f s",
                           r.prepared.questionKind.rawValue, r.prepared.promptVersion, TerminalText.safe(r.response.model ?? model ?? "?"), tokens,
                           t.beforeLLM * 1000, t.embed * 1000, t.search * 1000, t.rerank * 1000, t.evidence * 1000, t.prompt * 1000,
                           t.llmFirstToken ?? t.llm, t.llm))
    }

    static func label(_ status: Verdict.Status) -> String {
        switch status {
        case .grounded: "grounded"
        case .unsupported: "it makes claims the evidence does not hold"
        case .truncated: "the reply was cut at the token budget"
        case .degenerate: "the reply is empty, loops, leaves English, stops mid-sentence or does not answer the question"
        }
    }
}
