import Answering
import Cohort
import Foundation
import Testing
import TestSupport

/// Real replies re-verified: the 33 answers Qwen2.5-Coder-0.5B gave under prompt v4 that verifier rules 8 called
/// grounded (run f8aa879382e2a0fc on the demo-400 store), each with the evidence it was shown, read by a person
/// against that evidence (Fixtures/verifier/export.py). Only 3 were right in every claim.
@Suite struct AuditedAnswerTests {
    struct Line: Decodable {
        let qa_id: String
        let question: String
        let evidence: Evidence
        let context_ids: [String]
        let answer: String
        let findings: [ParsedAnswer.Finding]
        let diagnosis: String?
        let label: String
    }

    static func lines(_ file: String = "qwen0.5b-v4-grounded-rules8.jsonl") throws -> [Line] {
        let path = Fixtures.repositoryRoot + "/Fixtures/verifier/" + file
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Line.self, from: Data($0.utf8))
        }
    }

    static func verdict(_ line: Line) -> Verdict {
        let verifier = AnswerVerifier(evidence: line.evidence, contextIDs: line.context_ids, question: line.question)
        let answer = ParsedAnswer(diagnosis: line.diagnosis.flatMap { Diagnosis(label: $0) }, answer: line.answer,
                                  findings: line.findings, citedSubjectIDs: [], source: .structured)
        return verifier.verify(answer, finishReason: "stop")
    }

    /// Re-verifies labelled lines: every "correct" one must stay grounded (recorded as a test issue otherwise); returns
    /// the wrong ones caught (with their issues) and those still passed as grounded.
    static func audit(_ lines: [Line]) -> (caught: [String], missed: [String]) {
        var caught: [String] = [], missed: [String] = []
        for line in lines {
            let v = verdict(line)
            if line.label == "correct" {
                #expect(v.isGrounded, "\(line.qa_id): \(v.issues)")
            } else if v.isGrounded {
                missed.append(line.qa_id)
            } else {
                caught.append("\(line.qa_id): \(v.issues)")
            }
        }
        return (caught, missed)
    }

    @Test func theRightAnswersStayGroundedAndMostWrongOnesAreCaught() throws {
        let lines = try Self.lines()
        #expect(lines.count == 33)
        let (caught, missed) = Self.audit(lines)
        print("audited answers: \(caught.count) of \(caught.count + missed.count) wrong ones caught; missed: \(missed.joined(separator: ", "))")
        // Rules 9 catch 28 of the 30; the two left are a genotype "compared to the library CN 5, MCI 16" (MMSE
        // percentiles) and a similar-cases answer whose findings contradict each other.
        #expect(caught.count >= 28, "missed: \(missed)")
    }

    /// Qwen2.5-Coder-1.5B under prompt v5: the first 16 answers rules 14 called grounded (run 5c7bdfaca0afa777), read
    /// against their evidence: 4 right, 12 wrong (the first 10 labelled by a helper session before rules 15 were
    /// written, the next 6 by the session that wrote them). Rules 15 catch the recorded diagnosis claimed for the
    /// case, the MMSE / MoCA cut-off claims, "lower (21/30) compared to (20/30)", a fold risk stated against another
    /// reference than ε3/ε3, "no risk" for a genotype and "among the lowest" at a group's 94th percentile; still
    /// missed: a diagnosis said of the case in passing, the MoCA credited to the MMSE, and an unclear threshold.
    @Test func qwen15BGroundedAnswersUnderRules15() throws {
        let lines = try Self.lines("qwen1.5b-v5-grounded-rules14.jsonl")
        #expect(lines.count == 16)
        let (caught, missed) = Self.audit(lines)
        print("1.5B audited answers: \(caught.count) of \(caught.count + missed.count) wrong ones caught\n" + caught.joined(separator: "\n")
              + "\nmissed: \(missed.joined(separator: ", "))")
        // Rules 16 add "The case has a MCI diagnosis" in passing; left: the MoCA credited to the MMSE, the unclear threshold.
        #expect(caught.count >= 10, "missed: \(missed)")
    }

    /// The held-out check: the other 28 answers of the same run that rules 14 called grounded, labelled by a helper
    /// session after rules 15 were written (8 right, 20 wrong). Rules 15 were not fitted to these and caught 8 of the 20
    /// (the one fix made after reading them: "this genotype raises the risk", the verb). Rules 16 were written from the
    /// 12 it missed, so this file no longer holds them out: it pins them (all 20 caught, the 8 right ones still pass).
    @Test func heldOutQwen15BAnswers() throws {
        let lines = try Self.lines("qwen1.5b-v5-heldout-rules14.jsonl")
        #expect(lines.count == 28)
        let (caught, missed) = Self.audit(lines)
        print("held-out 1.5B answers: \(caught.count) of \(caught.count + missed.count) wrong ones caught\n" + caught.joined(separator: "\n") + "\nmissed: \(missed.joined(separator: ", "))")
        #expect(caught.count >= 20, "missed: \(missed)")
    }

    /// Qwen2.5-Coder-1.5B under prompt v7 (run 6ea7ac5302e8d6bd): every answer rules 25 called grounded, read against its evidence.
    /// The first 14 (the first 51 questions) were read while rules 26 were written from them; the other
    /// 16 were labelled afterwards, with no rule written from them: 3 right (they pass) and 13 wrong, of which rules 26 caught 9.
    /// Rules 27 were then written from the four it missed (MMSE 26 "below the mild-impairment band (21–26)", a MoCA at the CN
    /// group's 95th percentile "in the middle" of it, a finding that echoes the repair message, and ADAS-Cog 13 2/85
    /// "indicating MCI" in an APOE answer whose vote leads with CN), so both files are fitted now: every wrong one is caught.
    @Test func qwen15BUnderPromptV7() throws {
        let fitted = try Self.lines("qwen1.5b-v7-grounded-rules25-fitted.jsonl")
        let heldOut = try Self.lines("qwen1.5b-v7-grounded-rules25-heldout.jsonl")
        let (caughtFitted, missedFitted) = Self.audit(fitted)
        let (caughtHeldOut, missedHeldOut) = Self.audit(heldOut)
        print("1.5B v7, fitted: \(caughtFitted.count) of \(caughtFitted.count + missedFitted.count) wrong ones caught; missed: \(missedFitted)\n"
              + "1.5B v7, held out: \(caughtHeldOut.count) of \(caughtHeldOut.count + missedHeldOut.count) caught; missed: \(missedHeldOut)")
        #expect(missedFitted.isEmpty, "rules 26 were written from these")
        #expect(missedHeldOut.isEmpty, "rules 27 were written from the four rules 26 missed")
    }

    /// Qwen2.5-0.5B's 23 answers under prompt v9 that rules 29 called grounded (run 9e1d2c897a76c998; findings quoted from
    /// Memoir's evidence, so only the answer sentence can be wrong): 6 correct, 5 vague but not false, 12 wrong. Rules 30 were
    /// written from 4 of the 12 (this set is fitted); the other 8 (nonsense reasons, a reading called a prediction, the
    /// encoder's shares given as the library's) are still passed, and the closing note says so.
    @Test func promptNineAnswersStayRightAndTheFittedWrongOnesAreCaught() throws {
        try Self.auditFixture("qwen0.5b-v9-grounded-rules29.jsonl", named: "0.5B v9", lines: 23, correct: 6, caughtAtLeast: 4,
                              "rules 30 were written from four of these")
    }

    /// Qwen2.5-Coder-1.5B's 27 answers under prompt v10 that rules 30 (as first written) called grounded (run d7922f9bc3d66200):
    /// 17 correct (8 of them diagnosis answers whose reason is Memoir's, quoted), 1 vague, 9 wrong. Two rules 30 were added
    /// from these (an average for a group, five values listed "respectively" out of order), and rules 32 from six more (one
    /// diagnosis, or one subject's values, given to all five; the case "in the MCI group"); 2 of the 10 not correct still pass.
    @Test func promptTenAnswersStayRight() throws {
        try Self.auditFixture("qwen1.5b-v10-grounded-rules30.jsonl", named: "1.5B v10", lines: 27, correct: 17, caughtAtLeast: 8,
                              "two rules 30 and rules 32 were written from these")
    }

    /// Audits a labelled fixture of `lines` answers, `correct` of them right: the right ones stay grounded (`audit`), and at
    /// least `caughtAtLeast` of the others are caught.
    static func auditFixture(_ file: String, named name: String, lines count: Int, correct: Int, caughtAtLeast: Int,
                             _ why: Comment) throws {
        let lines = try Self.lines(file)
        #expect(lines.count == count && lines.filter { $0.label == "correct" }.count == correct)
        let (caught, missed) = Self.audit(lines)
        print("\(name): \(caught.count) of \(caught.count + missed.count) not-correct ones caught; passed: \(missed.joined(separator: ", "))")
        #expect(caught.count >= caughtAtLeast, why)
    }

    /// Correct answers written the way a strong model would (by a helper session, against each line's evidence:
    /// varied wording, percentiles, shares, named neighbours' values, cautious readings) for 40 of the same
    /// questions: the verifier must pass them.
    @Test func correctAnswersInOtherWordsAreGrounded() throws {
        let lines = try Self.lines("reference-answers.jsonl")
        #expect(lines.count == 40)
        var rejected: [String] = []
        for line in lines {
            let v = Self.verdict(line)
            if !v.isGrounded { rejected.append("\(line.qa_id): \(v.issues)") }
        }
        print("reference answers rejected: \(rejected.count) of \(lines.count)\n" + rejected.joined(separator: "\n"))
        #expect(rejected.isEmpty)
    }
}
