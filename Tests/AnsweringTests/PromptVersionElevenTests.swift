@testable import Answering
import Cohort
import Foundation
import Testing

/// v11 is v10 with every kind's answer quoted but `other`: the model chooses one of Memoir's answers to the question, and
/// its findings are offered Memoir's other sentences.
@Suite struct PromptVersionElevenTests {
    static let questions: [QuestionKind: String] = [
        .diagnosis: "What is the most likely diagnosis for this patient?",
        .severity: "What do the MMSE and MoCA say about the severity of this subject's impairment?",
        .cognition: "What are this patient's cognitive test scores?",
        .apoe: "What is this patient's APOE genotype and what does it mean for Alzheimer's risk?",
        .similarCases: "What diagnoses and scores do the subjects most similar to this case have?",
        .prognosis: "Will this subject progress to dementia?",
    ]

    static func answers(_ evidence: Evidence, _ kind: QuestionKind) throws -> [String] {
        try #require(try PromptVersionTenTests.properties(evidence, kind, version: "v11")["answer"]?["enum"] as? [String], "\(kind)")
    }

    @Test func eachKindIsAnsweredInMemoirsWords() throws {
        // The demo case: 74-year-old woman, ε4/ε4, MMSE 26/30, no MoCA; four of five neighbours Dementia.
        let e = PromptVersionNineTests.evidence
        #expect(try Self.answers(e, .severity) == [
            "The case's MMSE is 26/30 (21–26: the mild-impairment band (NICE TA217)); its MoCA is not recorded.",
            "The encoder predicts a CDR-SB of 2.5 (typical error ±1.1): a prediction, not a record.",
        ])
        #expect(try Self.answers(e, .cognition) == [
            "The case's cognitive scores are MMSE 26/30 (21–26: the mild-impairment band (NICE TA217)), ADAS-Cog 13 7.33/85 and ADAS-Cog 11 0.33/70; MoCA is not recorded.",
            "The case's cognitive scores are MMSE 26/30, ADAS-Cog 13 7.33/85 and ADAS-Cog 11 0.33/70; MoCA is not recorded.",
        ])
        #expect(try Self.answers(e, .apoe).count == 1)
        #expect(try Self.answers(e, .apoe)[0].hasPrefix("The case's APOE genotype is ε4/ε4 (two ε4 alleles"))
        #expect(try Self.answers(e, .similarCases) == [
            "Of the 5 most similar subjects, 4 were recorded Dementia and 1 was recorded MCI; their MMSE ranges from 22 to 30, their MoCA ranges from 15 to 26 and their ADAS-Cog 13 ranges from 15.67 to 31, and the case's MMSE of 26/30 is within their MMSE range.",
            "Of the 5 most similar subjects, 4 were recorded Dementia and 1 was recorded MCI; their MMSE ranges from 22 to 30, their MoCA ranges from 15 to 26 and their ADAS-Cog 13 ranges from 15.67 to 31.",
        ], "the vote's sentence stays a finding: as an answer it gives no scores")
        #expect(try Self.answers(e, .diagnosis).allSatisfy { $0.hasPrefix("The evidence points to Dementia because ") }, "v10's answer")
        let other = try PromptVersionTenTests.properties(e, .other, version: "v11")["answer"]
        #expect(other?["pattern"] != nil && other?["enum"] == nil, "a question of kind other is answered in the model's words")
        let statements = EvidenceStatements(e)
        for kind in QuestionKind.allCases where kind != .other {
            #expect(try Self.answers(e, kind).allSatisfy(statements.answerQuotes), "\(kind)")
        }
        #expect(!statements.answerQuotes("The case's MMSE is 26/30."))
    }

    /// The findings are offered none of the answer's sentences (the genotype and the encoder's CDR-SB are both, and a
    /// diagnosis answer's reasons are the vote's, the estimate's and the reading's), so a reply cannot say one thing twice.
    @Test func theFindingsAreOfferedNoneOfTheAnswersSentences() throws {
        for line in try AuditedAnswerTests.lines("reference-answers.jsonl").prefix(10) {
            let statements = EvidenceStatements(line.evidence)
            for kind in QuestionKind.allCases where kind != .other {
                let schema = try PromptVersionNineTests.schema(line.evidence, kind, version: "v11")
                let findings = try PromptVersionNineTests.findingOptions(schema).flatMap { $0.flatMap(\.texts) }
                let answers = try Self.answers(line.evidence, kind)
                let behind = kind == .diagnosis ? statements.reasonStatements(for: line.evidence.reading) : answers
                #expect(!behind.isEmpty && Set(findings).isDisjoint(with: behind), "\(line.qa_id) \(kind)")
            }
        }
    }

    /// With the clinical inputs off the scores are not in the evidence: the answers say they were not used, and pass.
    @Test func withClinicalInputsOffTheAnswersSayTheScoresWereNotUsed() throws {
        var e = PromptVersionNineTests.evidence
        (e.readings, e.apoe) = ([], nil)
        e.notes = ["clinical scores not used (modalities: t1+fa)"]
        #expect(try Self.answers(e, .cognition) == ["The case's cognitive scores were not used in this run (clinical inputs off)."])
        #expect(try Self.answers(e, .apoe) == ["The case's APOE genotype was not used in this run (clinical inputs off)."])
        #expect(try Self.answers(e, .severity).first == "The case's MMSE and MoCA were not used in this run (clinical inputs off).")
        try Self.expectGrounded(e, kinds: [.cognition, .apoe, .severity, .similarCases])
    }

    /// Every answer offered for `kinds`, with the first sentences its findings are offered, is grounded.
    static func expectGrounded(_ e: Evidence, kinds: [QuestionKind]) throws {
        for kind in kinds {
            let options = try PromptVersionNineTests.findingOptions(try PromptVersionNineTests.schema(e, kind, version: "v11"))
            let first = try #require(options[0].first), second = try #require(options[1].first)
            let verifier = AnswerVerifier(evidence: e, contextIDs: e.neighbours.map(\.subjectID), question: try #require(questions[kind]))
            for answer in try answers(e, kind) {
                let parsed = ParsedAnswer(diagnosis: nil, answer: answer,
                                          findings: [.init(source: "case", finding: first.texts[0]), .init(source: second.sources[0], finding: second.texts[0])],
                                          citedSubjectIDs: second.sources[0] == "case" ? [] : [second.sources[0]], source: .structured)
                let verdict = verifier.verify(parsed, finishReason: "stop")
                #expect(verdict.isGrounded, "\(kind): \(answer): \(verdict.issues)")
            }
        }
    }

    /// Every answer v11 offers, of every kind, on each of the 40 reference evidences, with the first sentences its findings
    /// are offered, is grounded: Memoir's words pass Memoir's verifier.
    @Test func everyQuotedAnswerPassesTheVerifier() throws {
        var rejected: [String] = [], checked = 0
        for line in try AuditedAnswerTests.lines("reference-answers.jsonl") {
            let e = line.evidence
            for (kind, question) in Self.questions {
                let schema = try PromptVersionNineTests.schema(e, kind, version: "v11")
                let options = try PromptVersionNineTests.findingOptions(schema)
                let first = try #require(options[0].first), second = try #require(options[1].first)
                let cited = second.sources[0] == "case" ? [] : [second.sources[0]]
                let verifier = AnswerVerifier(evidence: e, contextIDs: line.context_ids, question: question)
                for answer in try Self.answers(e, kind) {
                    let parsed = ParsedAnswer(diagnosis: kind == .diagnosis ? e.reading : nil, answer: answer,
                                              findings: [.init(source: "case", finding: first.texts[0]),
                                                         .init(source: second.sources[0], finding: second.texts[0])],
                                              citedSubjectIDs: cited, source: .structured)
                    let verdict = verifier.verify(parsed, finishReason: "stop")
                    checked += 1
                    if !verdict.isGrounded { rejected.append("\(line.qa_id) \(kind): \(answer): \(verdict.issues)") }
                }
            }
        }
        // The same check rejects the sentences' wrong twins, so passing says something.
        let e = PromptVersionNineTests.evidence
        let verifier = AnswerVerifier(evidence: e, contextIDs: e.neighbours.map(\.subjectID), question: Self.questions[.similarCases]!)
        for wrong in ["Of the 5 most similar subjects, all 5 were recorded Dementia.",
                      "Of the 5 most similar subjects, 4 were recorded Dementia and 1 was recorded MCI; their MMSE ranges from 22 to 29.",
                      "The case's MMSE is 26/30 (27–30: no impairment by the usual cut-off)."] {
            let parsed = ParsedAnswer(diagnosis: nil, answer: wrong, findings: [], citedSubjectIDs: [], source: .structured)
            #expect(!verifier.verify(parsed, finishReason: "stop").isGrounded, "\(wrong)")
        }
        print("v11 quoted answers checked: \(checked), rejected: \(rejected.count)\n" + rejected.prefix(20).joined(separator: "\n"))
        #expect(checked >= 400)
        #expect(rejected.isEmpty)
    }

    /// Evidence with parts missing still gives every kind an answer to choose, and says what is missing.
    @Test func sparseEvidenceStillGivesAnAnswerThatSaysWhatIsMissing() throws {
        var bare = PromptVersionNineTests.evidence
        (bare.neighbours, bare.readings, bare.apoe, bare.encoder, bare.courses) = ([], [], nil, nil, nil)
        #expect(try Self.answers(bare, .severity) == ["Neither the case's MMSE nor its MoCA is recorded."])
        #expect(try Self.answers(bare, .cognition) == ["None of the case's cognitive scores (MMSE, MoCA and ADAS-Cog 13) is recorded."])
        #expect(try Self.answers(bare, .apoe) == ["The case's APOE genotype is not recorded."])
        #expect(try Self.answers(bare, .similarCases) == ["The library holds no similar subjects to compare the case with."])
        #expect(try Self.answers(bare, .prognosis).first?.hasPrefix("No follow-up visits are recorded") == true)
        // (With nothing but demographics the two findings can only quote the one sentence there is, which the verifier calls
        // a repetition: such a reply is shown unverified beside Memoir's own reading.)
        var alike = PromptVersionNineTests.evidence
        for i in alike.neighbours.indices { alike.neighbours[i].diagnosis = .mci }
        #expect(try Self.answers(alike, .similarCases)[0].hasPrefix("Of the 5 most similar subjects, all 5 were recorded MCI; "))
        var two = PromptVersionNineTests.evidence
        two.neighbours = Array(two.neighbours.prefix(2))
        two.neighbours[1].moca = nil
        #expect(try Self.answers(two, .similarCases)[1] == "Of the 2 most similar subjects, both were recorded Dementia; their MMSE ranges from 26 to 30 and their ADAS-Cog 13 ranges from 26.33 to 31.")
        var three = PromptVersionNineTests.evidence
        three.neighbours[0].moca = nil
        three.neighbours[1].moca = nil
        #expect(try Self.answers(three, .similarCases)[1].contains("their MoCA ranges from 19 to 26 (recorded for 3)"))
        var one = PromptVersionNineTests.evidence
        one.neighbours = Array(one.neighbours.prefix(1))
        #expect(try Self.answers(one, .similarCases) == ["The one most similar subject, 215_S_0257, was recorded Dementia."])
        try Self.expectGrounded(one, kinds: [.similarCases])
        try Self.expectGrounded(three, kinds: [.similarCases])
    }
}
