@testable import Answering
import Cohort
import Foundation
import Testing

/// v10 is v9 with a diagnosis answer's reason quoted: "The evidence points to X because " and one of Memoir's reasons for X.
@Suite struct PromptVersionTenTests {
    static func properties(_ evidence: Evidence, _ kind: QuestionKind, version: String) throws -> [String: [String: Any]] {
        let template = try PromptTemplate.load(directory: PromptTemplateTests.promptsRoot + "/" + version)
        guard case .jsonSchema(_, let data) = try template.responseFormat(
            citing: evidence.neighbours.map(\.subjectID), kind: kind, supported: [evidence.reading],
            caseMeasures: PromptTemplate.caseMeasures(evidence), facts: OpeningFacts(evidence),
            statements: EvidenceStatements(evidence)) else { throw CocoaError(.coderInvalidValue) }
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(root["properties"] as? [String: [String: Any]])
    }

    @Test func aDiagnosisAnswerGivesOneOfMemoirsReasonsForIt() throws {
        // The demo case: vote Dementia (4 of 5), encoder MCI 55%, reading Dementia 64%.
        let answers = try #require(try Self.properties(PromptVersionNineTests.evidence, .diagnosis, version: "v10")["answer"]?["enum"] as? [String])
        #expect(answers == [
            "The evidence points to Dementia because 4 of the 5 most similar subjects were recorded Dementia (87% of the similarity-weighted vote).",
            "The evidence points to Dementia because Memoir's reading, the vote and the estimate averaged, leads with Dementia (64%).",
        ], "the encoder predicts MCI, so it is no reason for Dementia")
    }

    @Test func otherKindsAnswerAsUnderVersionNine() throws {
        for kind in QuestionKind.allCases where kind != .diagnosis {
            let ten = try Self.properties(PromptVersionNineTests.evidence, kind, version: "v10")
            let nine = try Self.properties(PromptVersionNineTests.evidence, kind, version: "v9")
            #expect(ten["answer"]?["pattern"] as? String == nine["answer"]?["pattern"] as? String, "\(kind)")
            #expect(ten["answer"]?["pattern"] != nil)
        }
    }

    /// The patterns v9 and v10 still send (answers of kinds other than diagnosis) use only escapes llama.cpp accepts.
    @Test func everyPatternUsesOnlyEscapesLlamaCppAccepts() throws {
        let evidence = PromptVersionNineTests.evidence
        for version in ["v9", "v10"] {
            let template = try PromptTemplate.load(directory: PromptTemplateTests.promptsRoot + "/" + version)
            for kind in QuestionKind.allCases {
                guard case .jsonSchema(_, let data) = try template.responseFormat(
                    citing: evidence.neighbours.map(\.subjectID), kind: kind, supported: [evidence.reading],
                    caseMeasures: PromptTemplate.caseMeasures(evidence), facts: OpeningFacts(evidence),
                    statements: EvidenceStatements(evidence)) else { Issue.record("\(version) sends a schema"); continue }
                for pattern in GrammarEscapeTests.patterns(in: try JSONSerialization.jsonObject(with: data)) {
                    #expect(GrammarEscapeTests.unsupportedEscapes(pattern).isEmpty, "\(version) \(kind): \(pattern)")
                    #expect((try? NSRegularExpression(pattern: pattern)) != nil, "\(version) \(kind): \(pattern)")
                }
            }
        }
    }

    /// Every quoted diagnosis answer, with either offered finding pair, is grounded on the reference evidences.
    @Test func everyQuotedAnswerPassesTheVerifier() throws {
        var rejected: [String] = [], checked = 0
        for line in try AuditedAnswerTests.lines("reference-answers.jsonl") {
            let evidence = line.evidence
            let properties = try Self.properties(evidence, .diagnosis, version: "v10")
            let answers = try #require(properties["answer"]?["enum"] as? [String])
            let statements = EvidenceStatements(evidence)
            let verifier = AnswerVerifier(evidence: evidence, contextIDs: line.context_ids, question: "What is the most likely diagnosis for this subject?")
            for answer in answers {
                let parsed = ParsedAnswer(diagnosis: evidence.reading, answer: answer,
                                          findings: [.init(source: "case", finding: statements.aboutCase[0].text),
                                                     .init(source: statements.aboutSubjects[0].id, finding: statements.aboutSubjects[0].text)],
                                          citedSubjectIDs: [statements.aboutSubjects[0].id], source: .structured)
                let verdict = verifier.verify(parsed, finishReason: "stop")
                checked += 1
                if !verdict.isGrounded { rejected.append("\(line.qa_id): \(answer): \(verdict.issues)") }
            }
        }
        print("v10 quoted diagnosis answers checked: \(checked), rejected: \(rejected.count)\n" + rejected.prefix(10).joined(separator: "\n"))
        #expect(checked >= 80)
        #expect(rejected.isEmpty)
    }
}
