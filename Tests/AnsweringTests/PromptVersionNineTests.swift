@testable import Answering
import Cohort
import Foundation
import Testing

/// v9: the answer is v8's opening and one sentence; each finding quotes one of Memoir's own sentences (`EvidenceStatements`),
/// chosen by the model from an `enum`.
@Suite struct PromptVersionNineTests {
    static let evidence = try! JSONDecoder().decode(Evidence.self, from: Data(RulesTwentySixTests.evidenceJSON.utf8))

    /// The schema v9 sends for `evidence` and `kind`, parsed.
    static func schema(_ evidence: Evidence, _ kind: QuestionKind, version: String = "v9") throws -> [String: Any] {
        let template = try PromptTemplate.load(directory: PromptTemplateTests.promptsRoot + "/" + version)
        guard case .jsonSchema(_, let data) = try template.responseFormat(
            citing: evidence.neighbours.map(\.subjectID), kind: kind, supported: [evidence.reading],
            caseMeasures: PromptTemplate.caseMeasures(evidence), facts: OpeningFacts(evidence),
            statements: EvidenceStatements(evidence)) else { throw CocoaError(.coderInvalidValue) }
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Each finding slot's alternatives: (sources, quoted sentences).
    static func findingOptions(_ schema: [String: Any]) throws -> [[(sources: [String], texts: [String])]] {
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        let items = try #require(properties["findings"]?["prefixItems"] as? [[String: Any]])
        return try items.map { item in
            try ((item["anyOf"] as? [[String: Any]]) ?? [item]).map { variant in
                let fields = try #require(variant["properties"] as? [String: [String: Any]])
                return (try #require(fields["source"]?["enum"] as? [String]), try #require(fields["finding"]?["enum"] as? [String]))
            }
        }
    }

    @Test func findingsQuoteMemoirsSentencesAndASubjectsIsBoundToItsId() throws {
        let statements = EvidenceStatements(Self.evidence)
        let ids = Self.evidence.neighbours.map(\.subjectID)
        let diagnosis = try Self.findingOptions(try Self.schema(Self.evidence, .diagnosis))
        #expect(diagnosis[0].count == 1 && diagnosis[0][0].sources == ["case"])
        let offered = diagnosis[0][0].texts
        #expect(offered.contains("The case's MMSE is 26/30 (21–26: the mild-impairment band (NICE TA217)); percentile among library CN 5, MCI 16, Dementia 88."))
        #expect(offered.contains("4 of the 5 most similar subjects were recorded Dementia (87% of the similarity-weighted vote)."))
        #expect(offered.contains { $0.hasPrefix("The case's APOE genotype is ε4/ε4 (two ε4 alleles") })
        #expect(!offered.contains { $0.hasPrefix("The case is a ") }, "demographics only when nothing else is offered")
        #expect(diagnosis[1].map(\.sources) == ids.map { [$0] }, "one alternative per subject")
        for (variant, id) in zip(diagnosis[1], ids) {
            #expect(variant.texts.count == 1 && variant.texts[0].hasPrefix(id + ", similar subject "), "\(variant.texts)")
        }
        #expect(statements.quotes(statements.aboutSubjects[0].text) && statements.quotes(offered[0]))
        #expect(!statements.quotes("The case's MMSE is 26/30."), "the model's words are not Memoir's")
        #expect(statements.aboutSubjects[0].text == "215_S_0257, similar subject 1 of 5, was recorded Dementia: similarity 0.998, age 80, MMSE 30, MoCA 15, ADAS-Cog 13 31, APOE ε4 alleles 2.")
    }

    @Test func eachKindIsOfferedItsOwnFacts() throws {
        let severity = try Self.findingOptions(try Self.schema(Self.evidence, .severity))
        let severityTexts = severity.flatMap { $0.flatMap(\.texts) }
        #expect(!severityTexts.contains { $0.contains("recorded") || $0.contains("reading") }, "a severity answer gives no diagnosis label")
        #expect(severityTexts.contains { $0.hasPrefix("The encoder predicts a CDR-SB of 2.5 (typical error ±1.1)") })
        let apoe = try Self.findingOptions(try Self.schema(Self.evidence, .apoe))
        #expect(apoe[0][0].texts.contains { $0.hasPrefix("The case's APOE genotype is ε4/ε4") })
        // Two findings never offer the same sentence, so a reply cannot repeat one (outside the empty library's fallback).
        for kind in QuestionKind.allCases {
            let options = try Self.findingOptions(try Self.schema(Self.evidence, kind))
            let first = Set(options[0].flatMap(\.texts)), second = Set(options[1].flatMap(\.texts))
            #expect(first.isDisjoint(with: second), "\(kind)")
        }
    }

    /// Evidence with parts missing (no neighbours, no encoder estimate, no recorded scores) still gives a schema whose enums
    /// hold sentences, and the two findings share none unless the evidence holds only one.
    @Test func sparseEvidenceStillGivesTwoDistinctFindings() throws {
        var alone = Self.evidence
        alone.neighbours = []
        var noEncoder = Self.evidence
        noEncoder.encoder = nil
        var bare = alone
        (bare.readings, bare.apoe, bare.encoder) = ([], nil, nil)
        for (name, evidence) in [("no neighbours", alone), ("no encoder", noEncoder), ("nothing but demographics", bare)] {
            for version in ["v9", "v10"] {
                for kind in QuestionKind.allCases {
                    let template = try PromptTemplate.load(directory: PromptTemplateTests.promptsRoot + "/" + version)
                    guard case .jsonSchema(_, let data) = try template.responseFormat(
                        citing: evidence.neighbours.map(\.subjectID), kind: kind, supported: [evidence.reading],
                        caseMeasures: PromptTemplate.caseMeasures(evidence), facts: OpeningFacts(evidence),
                        statements: EvidenceStatements(evidence)) else { Issue.record("\(name)"); continue }
                    let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name) \(version) \(kind)")
                    let options = try Self.findingOptions(schema)
                    let first = Set(options[0].flatMap(\.texts)), second = Set(options[1].flatMap(\.texts))
                    #expect(!first.isEmpty && !second.isEmpty, "\(name) \(version) \(kind)")
                    if EvidenceStatements(evidence).aboutCase.count > 1 {
                        #expect(first.isDisjoint(with: second), "\(name) \(version) \(kind): \(first.intersection(second))")
                    }
                }
            }
        }
        #expect(EvidenceStatements(noEncoder).reasons(for: .dementia).count == 1, "the vote alone")
        #expect(EvidenceStatements(alone).reasons(for: .mci).first?.hasPrefix("the encoder estimates MCI 55%") == true, "the estimate alone")
    }

    @Test func theAnswerIsOneSentenceAfterItsOpening() throws {
        let schema = try Self.schema(Self.evidence, .diagnosis)
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        let answer = try NSRegularExpression(pattern: try #require(properties["answer"]?["pattern"] as? String))
        #expect(SentSchema.matches(answer, "The evidence points to Dementia because four of the five most similar subjects were recorded Dementia."))
        #expect(!SentSchema.matches(answer, "The evidence points to Dementia because most are Dementia. The case's age is 80 years."),
                "v8's demo put two of its three false claims in a second sentence")
        #expect(!SentSchema.matches(answer, "The evidence points to MCI because the vote says so."))
    }

    /// Every sentence v9 offers is read as true by the verifier, on the evidence of the 40 reference answers (all kinds):
    /// paired with each reference answer's own text, each offered finding keeps the answer grounded.
    @Test func everyOfferedSentencePassesTheVerifier() throws {
        var rejected: [String] = []
        var checked = 0
        for line in try AuditedAnswerTests.lines("reference-answers.jsonl") {
            let kind = QuestionKind.classify(line.question)
            let verifier = AnswerVerifier(evidence: line.evidence, contextIDs: line.context_ids, question: line.question)
            let options = try Self.findingOptions(try Self.schema(line.evidence, kind))
            let firsts = options[0].flatMap { v in v.texts.map { (v.sources[0], $0) } }
            let seconds = options[1].flatMap { v in v.texts.map { (v.sources[0], $0) } }
            for (source, text) in firsts + seconds {
                let other = (firsts + seconds).first { $0.1 != text }!
                let answer = ParsedAnswer(diagnosis: line.diagnosis.flatMap { Diagnosis(label: $0) }, answer: line.answer,
                                          findings: [.init(source: source, finding: text), .init(source: other.0, finding: other.1)],
                                          citedSubjectIDs: [], source: .structured)
                let verdict = verifier.verify(answer, finishReason: "stop")
                checked += 1
                if !verdict.isGrounded { rejected.append("\(line.qa_id) (\(kind.rawValue)): \"\(text)\" with \"\(other.1)\": \(verdict.issues)") }
            }
        }
        print("v9 offered sentences checked: \(checked), rejected: \(rejected.count)\n" + rejected.prefix(20).joined(separator: "\n"))
        #expect(checked > 200)
        #expect(rejected.isEmpty)
    }
}
