@testable import Answering
import Cohort
import Foundation
import Testing

/// v8 keeps v7's layout and bounds; its words hold no character outside English text and the evidence's own symbols, and a
/// second finding about a subject is one alternative per subject, its source bound to the id it opens with.
@Suite struct PromptVersionEightTests {
    static let ids = ["941_S_0001", "941_S_0002"]
    static let measures = ["MMSE", "MoCA", "ADAS-Cog 13", "brain parenchymal fraction", "APOE genotype"]

    func schema(_ kind: QuestionKind, ids: [String] = ids, measures: [String] = measures) throws -> SentSchema {
        try SentSchema(version: "v8", citing: ids, kind: kind, supported: [.dementia], caseMeasures: measures)
    }

    func matches(_ regex: NSRegularExpression, _ text: String) -> Bool { SentSchema.matches(regex, text) }

    /// The second finding's alternatives: each one's sources and compiled text pattern.
    func secondFindingVariants(_ schema: SentSchema) throws -> [(sources: [String], pattern: NSRegularExpression)] {
        let items = try #require(schema.properties["findings"]?["prefixItems"] as? [[String: Any]])
        let second = items[1]
        let variants = (second["anyOf"] as? [[String: Any]]) ?? [second]
        return try variants.map { variant in
            let fields = try #require(variant["properties"] as? [String: [String: Any]])
            return (try #require(fields["source"]?["enum"] as? [String]),
                    try NSRegularExpression(pattern: try #require(fields["finding"]?["pattern"] as? String)))
        }
    }

    @Test func aWordHoldsNoCharacterOutsideEnglishAndTheEvidencesSymbols() throws {
        let s = try schema(.diagnosis)
        let answer = try s.pattern("answer")
        #expect(matches(answer, "The evidence points to Dementia because 4 of 5 similar subjects were Dementia."))
        #expect(!matches(answer, "The evidence points to Dementia because the estimatedimates,以及ne agree."),
                "v7's demo answer drifted into Chinese mid-word")
        #expect(!matches(answer, "The evidence points to Dementia because признаки agree."))
        #expect(matches(answer, "The evidence points to Dementia because MMSE 26/30 lies in 21–26 and APOE is ε3/ε4 (±0.5, ≥2, ×3)."),
                "the evidence's own symbols stay")
        #expect(matches(answer, "The evidence points to Dementia because the case’s MMSE is 26/30; Farrer et al. 1997 agree."))
        #expect(!matches(answer, "The evidence points to MCI because the vote says so."), "v7's opening stays")
        let items = try #require(s.properties["findings"]?["prefixItems"] as? [[String: Any]])
        let fields = try #require(items[0]["properties"] as? [String: [String: Any]])
        let first = try NSRegularExpression(pattern: try #require(fields["finding"]?["pattern"] as? String))
        #expect(matches(first, "The case's MoCA is 18/30, below the cut-off of 26 (Nasreddine et al. 2005)."))
        #expect(!matches(first, "The case's MoCA is 18/30. It is low."), "a finding is one sentence")
        #expect(!matches(first, "The case's MoCA 是 18/30."))
    }

    @Test func aSubjectFindingsSourceIsTheIdItOpensWith() throws {
        for kind in [QuestionKind.diagnosis, .similarCases, .prognosis, .apoe] {
            let variants = try secondFindingVariants(try schema(kind))
            #expect(variants.map(\.sources) == Self.ids.map { [$0] }, "\(kind): one alternative per subject")
            for (index, variant) in variants.enumerated() {
                let own = Self.ids[index], other = Self.ids[1 - index]
                #expect(matches(variant.pattern, "\(own) was recorded Dementia with MMSE 20/30."))
                #expect(!matches(variant.pattern, "\(other) was recorded Dementia with MMSE 20/30."),
                        "under v7 a finding about one subject could carry another's id as its source")
            }
        }
    }

    @Test func aFindingAboutTheCaseStaysOneObject() throws {
        let severity = try secondFindingVariants(try schema(.severity))
        #expect(severity.count == 1 && severity[0].sources == ["case"])
        #expect(matches(severity[0].pattern, "The case's MoCA is 21/30."))
        #expect(!matches(severity[0].pattern, "The case's MMSE is 24/30."), "v7's plan: the second finding is on the MoCA")
        // With no subjects to name, the second finding falls back to the model's choice, as under v7.
        let alone = try secondFindingVariants(try schema(.diagnosis, ids: []))
        #expect(alone.count == 1 && alone[0].sources == ["case"])
        #expect(try schema(.diagnosis, ids: []).properties["cited_subject_ids"]?["minItems"] as? Int == 0)
    }

    @Test func v7sBoundsStay() throws {
        let s = try schema(.similarCases)
        let answer = try s.pattern("answer")
        let thirty = (1...30).map { _ in "word" }.joined(separator: " ")
        #expect(matches(answer, "\(thirty). \(thirty)."))
        #expect(!matches(answer, "\(thirty) more."), "31 words")
        #expect(!matches(answer, "One. Two. Three."), "at most two sentences")
        #expect(!matches(answer, "MCI 99.0.0.0.0.1.1 and so on."))
        #expect(!matches(answer, "The case'sscore98%ofthecase&and more."), "a word of more than 20 characters")
        #expect(s.properties["cited_subject_ids"]?["minItems"] as? Int == 1)
    }

    @Test func theAPOEAnswerOpensOnTheGenotype() throws {
        let answer = try schema(.apoe).pattern("answer")
        #expect(matches(answer, "The case's APOE genotype is ε3/ε4: one ε4 allele, about 3 times the risk (Farrer et al. 1997)."))
        #expect(!matches(answer, "The patient carries one ε4 allele."))
    }
}

/// v8's openings state the case's recorded value and a subject's recorded diagnosis, so the model cannot misquote them.
@Suite struct OpeningFactsTests {
    static let facts = OpeningFacts(caseValues: ["MMSE": "26/30", "MoCA": "21/30", "APOE genotype": "ε3/ε4"],
                                    recordedDiagnoses: ["941_S_0001": "Dementia", "941_S_0002": "MCI"])

    @Test func openingsStateTheirFact() {
        let f = Self.facts
        #expect(f.stating("The case's MMSE ") == "The case's MMSE of 26/30 ")
        #expect(f.stating("The case's APOE genotype is ") == "The case's APOE genotype is ε3/ε4, ")
        #expect(f.stating("The case's APOE genotype ") == "The case's APOE genotype of ε3/ε4 ")
        #expect(f.stating("941_S_0002 ") == "941_S_0002, recorded MCI, had ")
        #expect(f.stating("The case's ADAS-Cog 13 ") == "The case's ADAS-Cog 13 ", "not recorded: no value to state")
        #expect(f.stating("The case's ") == "The case's ")
        #expect(f.stating("The evidence points to Dementia because ") == "The evidence points to Dementia because ")
    }

    @Test func theSchemaCarriesThem() throws {
        let template = try PromptTemplate.load(directory: PromptTemplateTests.promptsRoot + "/v8")
        guard case .jsonSchema(_, let data) = try template.responseFormat(
            citing: PromptVersionEightTests.ids, kind: .apoe, supported: [.mci], caseMeasures: ["MMSE", "MoCA", "APOE genotype"],
            facts: Self.facts) else { Issue.record("v8 sends a schema"); return }
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        let answer = try NSRegularExpression(pattern: try #require(properties["answer"]?["pattern"] as? String))
        #expect(SentSchema.matches(answer, "The case's APOE genotype is ε3/ε4, one ε4 allele: about 3 times the risk (Farrer et al. 1997)."))
        #expect(!SentSchema.matches(answer, "The case's APOE genotype is ε4/ε4, two ε4 alleles."), "the genotype is Memoir's")
        let items = try #require(properties["findings"]?["prefixItems"] as? [[String: Any]])
        let variants = try #require(items[1]["anyOf"] as? [[String: Any]])
        let second = try #require(variants[1]["properties"] as? [String: [String: Any]])
        let pattern = try NSRegularExpression(pattern: try #require(second["finding"]?["pattern"] as? String))
        #expect(SentSchema.matches(pattern, "941_S_0002, recorded MCI, had MMSE 29 and MoCA 19."))
        #expect(!SentSchema.matches(pattern, "941_S_0002, recorded Dementia, had MMSE 29."))
    }
}

/// llama.cpp drops a pattern it cannot convert and lets the model write any string, with only a warning in its own log:
/// every pattern v8 sends must stay within the escapes its converter accepts.
@Suite struct GrammarEscapeTests {
    /// Escapes llama.cpp's json-schema-to-grammar accepts outside a character class.
    static let accepted: Set<Character> = ["^", "$", ".", "[", "]", "(", ")", "|", "{", "}", "*", "+", "?"]

    static func unsupportedEscapes(_ pattern: String) -> [String] {
        var found: [String] = [], characters = Array(pattern), i = 0
        while i < characters.count {
            if characters[i] == "\\" {
                let next = i + 1 < characters.count ? characters[i + 1] : " "
                if !accepted.contains(next) { found.append("\\\(next)") }
                i += 2
            } else { i += 1 }
        }
        return found
    }

    /// Every string `pattern` anywhere in `json`.
    static func patterns(in json: Any) -> [String] {
        if let object = json as? [String: Any] {
            return object.flatMap { key, value in key == "pattern" ? [value as? String].compactMap { $0 } : patterns(in: value) }
        }
        if let array = json as? [Any] { return array.flatMap(patterns) }
        return []
    }

    @Test func everyPatternUsesOnlyEscapesLlamaCppAccepts() throws {
        #expect(Self.unsupportedEscapes(NSRegularExpression.escapedPattern(for: "26/30")) == ["\\/"], "the checker sees the v8 bug")
        let template = try PromptTemplate.load(directory: PromptTemplateTests.promptsRoot + "/v8")
        let facts = OpeningFacts(caseValues: ["MMSE": "26/30", "ADAS-Cog 13": "7.33/85", "APOE genotype": "ε3/ε4",
                                              "brain parenchymal fraction": "0.826"],
                                 recordedDiagnoses: ["941_S_0001": "Dementia", "941_S_0002": "MCI"])
        for kind in QuestionKind.allCases {
            guard case .jsonSchema(_, let data) = try template.responseFormat(
                citing: ["941_S_0001", "941_S_0002"], kind: kind, supported: [.mci],
                caseMeasures: ["MMSE", "ADAS-Cog 13", "brain parenchymal fraction", "APOE genotype"], facts: facts) else {
                Issue.record("v8 sends a schema"); continue
            }
            let sent = Self.patterns(in: try JSONSerialization.jsonObject(with: data))
            #expect(sent.count >= 3, "\(kind)")
            for pattern in sent {
                #expect(Self.unsupportedEscapes(pattern).isEmpty, "\(kind): \(pattern)")
                #expect((try? NSRegularExpression(pattern: pattern)) != nil, "\(kind): \(pattern)")
            }
        }
    }
}
