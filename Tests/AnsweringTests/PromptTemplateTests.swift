import Answering
import Cohort
import Foundation
import TestSupport
import Testing

@Suite struct PromptTemplateTests {
    static let promptsRoot = Fixtures.repositoryRoot + "/Prompts"
    static let cases = (1...5).map {
        RetrievedCase(subjectID: "S\($0)", diagnosis: $0 <= 2 ? "MCI" : "CN", caption: "Caption \($0): hippocampal volume {{question}}.")
    }

    @Test func versionOneLoadsWithItsPlaceholdersAndSchema() throws {
        let template = try PromptTemplate.load(directory: Self.promptsRoot + "/v1")
        #expect(template.version == "v1")
        #expect(template.placeholders == ["question", "case_description", "retrieved_cases"])
        let schema = try #require(try JSONSerialization.jsonObject(with: template.schema) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(properties["diagnosis"]?["enum"] as? [String] == ["CN", "MCI", "Dementia"])
        #expect(schema["required"] as? [String] == ["diagnosis", "answer", "cited_subject_ids"])
        guard case let .jsonSchema(name, data) = template.responseFormat else { Issue.record("not a schema format"); return }
        #expect(name == "memoir_answer" && data == template.schema)
    }

    @Test func rendersEveryPlaceholderOnce() throws {
        let template = try PromptTemplate.load(directory: Self.promptsRoot + "/v1")
        let messages = try template.messages(question: "Is progression likely?", caseDescription: "Female, 74, MMSE 26.",
                                             retrievedCases: Self.cases)
        #expect(messages.map(\.role) == [.system, .user])
        let user = messages[1].content
        #expect(user.contains("Question: Is progression likely?"))
        #expect(user.contains("Female, 74, MMSE 26."))
        #expect(user.contains("1. Subject S1 (recorded diagnosis: MCI)"))
        #expect(user.contains("5. Subject S5 (recorded diagnosis: CN)"))
        // A value's own braces are text, not a placeholder to fill again.
        #expect(user.contains("hippocampal volume {{question}}."))
        #expect(!messages[0].content.contains("{{"))
    }

    @Test func missingAndUnknownPlaceholdersAreErrors() throws {
        let template = try PromptTemplate.load(directory: Self.promptsRoot + "/v1")
        #expect(throws: PromptError.missingValue(placeholder: "case_description", file: "user.md")) {
            _ = try template.render(["question": "q", "retrieved_cases": "r"])
        }
        #expect(throws: PromptError.unknownPlaceholders(["mmse"], version: "v1")) {
            _ = try template.render(["question": "q", "case_description": "c", "retrieved_cases": "r", "mmse": "27"])
        }
    }

    @Test func missingFileAndBadSchemaAreNamed() throws {
        let folder = try TemporaryFolder(), directory = folder.path
        try "sys".write(toFile: directory + "/system.md", atomically: true, encoding: .utf8)
        try "{{question}}".write(toFile: directory + "/user.md", atomically: true, encoding: .utf8)
        #expect { _ = try PromptTemplate.load(directory: directory) } throws: { "\($0)".contains("answer.schema.json is missing") }
        try "[1, 2]".write(toFile: directory + "/answer.schema.json", atomically: true, encoding: .utf8)
        #expect { _ = try PromptTemplate.load(directory: directory) } throws: { "\($0)".contains("not a JSON schema object") }
    }

    @Test func resolvesOptionThenEnvironmentThenMemoirHomeNeverTheWorkingDirectory() throws {
        let root = Self.promptsRoot
        let home = try TemporaryFolder()
        #expect(try PromptTemplate.resolveDirectory(option: root, environment: ["MEMOIR_HOME": home.path]) == root + "/v1")
        #expect(try PromptTemplate.resolveDirectory(option: root + "/v1", environment: ["MEMOIR_HOME": home.path]) == root + "/v1")
        #expect(try PromptTemplate.resolveDirectory(environment: ["MEMOIR_PROMPTS_DIR": root, "MEMOIR_HOME": home.path]) == root + "/v1")
        #expect(PromptTemplate.searchDirectory(option: root, environment: ["MEMOIR_PROMPTS_DIR": "/elsewhere"]) == root)
        #expect(PromptTemplate.searchDirectory(environment: ["MEMOIR_PROMPTS_DIR": root, "MEMOIR_HOME": home.path]) == root)
        #expect(PromptTemplate.searchDirectory(environment: ["MEMOIR_PROMPTS_DIR": "", "MEMOIR_HOME": home.path]) == home.file("prompts"))
        // Nothing installed under $MEMOIR_HOME: the working directory (`swift test` runs in the repository, beside its
        // Prompts/) is not consulted.
        #expect(throws: PromptError.self) { _ = try PromptTemplate.resolveDirectory(environment: ["MEMOIR_HOME": home.path]) }
        try FileManager.default.createSymbolicLink(atPath: home.file("prompts"), withDestinationPath: root)
        #expect(try PromptTemplate.resolveDirectory(environment: ["MEMOIR_HOME": home.path]) == home.file("prompts") + "/v1")
        #expect {
            _ = try PromptTemplate.resolveDirectory(option: root, version: "v999", environment: [:])
        } throws: { "\($0)".contains("\(root)/v999") && "\($0)".contains("MEMOIR_PROMPTS_DIR") }
    }
}

/// v3 bounds answers by sentences, through the schema's `pattern` (llama.cpp turns it into grammar): the
/// patterns must let ordinary clinical sentences through and stop a finding at its first sentence.
@Suite struct PromptVersionThreeTests {
    func patterns() throws -> (answer: NSRegularExpression, finding: NSRegularExpression) {
        let template = try PromptTemplate.load(directory: PromptTemplateTests.promptsRoot + "/v3")
        let filled = String(decoding: template.schema, as: UTF8.self)
            .replacingOccurrences(of: "{{diagnosis_property}}", with: "")
            .replacingOccurrences(of: "{{diagnosis_required}}", with: "")
            .replacingOccurrences(of: "{{sources}}", with: #"["case"]"#)
            .replacingOccurrences(of: "{{citable_ids}}", with: #"["941_S_0001"]"#)
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(filled.utf8)) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        let answer = try #require(properties["answer"]?["pattern"] as? String)
        let findings = try #require(properties["findings"])
        #expect(findings["maxItems"] as? Int == 3)
        let items = try #require(findings["items"] as? [String: Any])
        let finding = try #require((items["properties"] as? [String: [String: Any]])?["finding"]?["pattern"] as? String)
        return (try NSRegularExpression(pattern: answer), try NSRegularExpression(pattern: finding))
    }

    func matches(_ regex: NSRegularExpression, _ text: String) -> Bool { SentSchema.matches(regex, text) }

    @Test func findingsAreOneSentenceAndAnswersOneToThree() throws {
        let (answer, finding) = try patterns()
        let one = "MMSE 24/30 lies in the mild band (Folstein et al. 1975), with a brain parenchymal fraction of 0.742."
        #expect(matches(finding, one))
        #expect(!matches(finding, one + " A second sentence."))
        // A string may close without a full stop (a small model that never writes one must still be able to stop).
        #expect(matches(finding, "No full stop at the end"))
        #expect(matches(answer, "First sentence. Second one without a stop"))
        // A small model lower-cased its next sentence to keep a finding going ("MCI. the findings that ...").
        #expect(!matches(finding, "The diagnosis is MCI. the findings that support it are many."))
        #expect(!matches(finding, #"A "quoted" word."#), "a raw quote would break the JSON string")
        #expect(matches(answer, one))
        #expect(matches(answer, one + " The neighbours' vote leads with MCI. Three of five were MCI."))
        #expect(!matches(answer, one + " Two. Three. Four."))
        #expect(!matches(answer, "Line one.\nLine two."))
    }
}

/// v4 offers the diagnosis field only the diagnoses the evidence leads with, and bounds the answer to two sentences.
@Suite struct PromptVersionFourTests {
    func schema(kind: QuestionKind, supported: [Diagnosis]) throws -> SentSchema {
        try SentSchema(version: "v4", citing: ["941_S_0001"], kind: kind, supported: supported)
    }

    @Test func theDiagnosisFieldOffersOnlyWhatTheEvidenceLeadsWith() throws {
        let both = try schema(kind: .diagnosis, supported: [.mci, .dementia, .mci])
        #expect(both.properties["diagnosis"]?["enum"] as? [String] == ["MCI", "Dementia"])
        #expect((both.root["required"] as? [String])?.first == "diagnosis")
        #expect(try schema(kind: .diagnosis, supported: [.cn]).properties["diagnosis"]?["enum"] as? [String] == ["CN"])
        // Other kinds of question get no diagnosis field at all.
        #expect(try schema(kind: .apoe, supported: [.cn]).properties["diagnosis"] == nil)
    }

    @Test func theAnswerIsOneOrTwoSentences() throws {
        let answer = try schema(kind: .severity, supported: []).pattern("answer")
        func matches(_ text: String) -> Bool { SentSchema.matches(answer, text) }
        #expect(matches("The impairment is mild: MMSE 24/30 lies in the mild band."))
        #expect(matches("The impairment is mild. The neighbours' vote leads with MCI."))
        #expect(!matches("One. Two. Three."))
    }
}

/// v5 asks for exactly two findings: the first about the case and, for a question that leans on the neighbours,
/// the second about one of the five subjects, which must be cited (v4's small-model answers copied one sentence
/// into both findings and cited nobody).
@Suite struct PromptVersionFiveTests {
    func schema(kind: QuestionKind, citing ids: [String]) throws -> SentSchema {
        try SentSchema(version: "v5", citing: ids, kind: kind, supported: [.dementia])
    }

    /// The `source` enums of the two findings, and the least number of citations.
    func findingSources(_ schema: SentSchema) throws -> (first: [String], second: [String], minimumCitations: Int) {
        let fields = try schema.findingFields()
        try #require(fields.count == 2)
        func sources(_ field: [String: [String: Any]]) throws -> [String] { try #require(field["source"]?["enum"] as? [String]) }
        let findings = schema.properties["findings"]
        #expect(findings?["minItems"] as? Int == 2 && findings?["maxItems"] as? Int == 2)
        return (try sources(fields[0]), try sources(fields[1]), try #require(schema.properties["cited_subject_ids"]?["minItems"] as? Int))
    }

    @Test func aNeighbourQuestionMustNameAndCiteOneOfTheFive() throws {
        let ids = ["941_S_0001", "941_S_0002"]
        for kind in [QuestionKind.diagnosis, .similarCases, .prognosis] {
            let sources = try findingSources(try schema(kind: kind, citing: ids))
            #expect(sources.first == ["case"], "\(kind)")
            #expect(sources.second == ids, "\(kind)")
            #expect(sources.minimumCitations == 1, "\(kind)")
        }
    }

    @Test func aQuestionAboutTheCaseMayRestOnTheCaseAlone() throws {
        let ids = ["941_S_0001"]
        for kind in [QuestionKind.severity, .cognition, .apoe, .other] {
            let sources = try findingSources(try schema(kind: kind, citing: ids))
            #expect(sources.first == ["case"] && sources.second == ["case"] + ids && sources.minimumCitations == 0, "\(kind)")
        }
        // With no subjects to name, a diagnosis question cannot be made to cite one.
        let empty = try findingSources(try schema(kind: .diagnosis, citing: []))
        #expect(empty.second == ["case"] && empty.minimumCitations == 0)
    }
}

/// v6 opens a diagnosis answer with Memoir's reading (the grammar writes it), so the text states the diagnosis the
/// field holds before the model explains it; other kinds of question keep v5's answer unchanged.
@Suite struct PromptVersionSixTests {
    func answerPattern(kind: QuestionKind, supported: [Diagnosis]) throws -> NSRegularExpression {
        try SentSchema(version: "v6", citing: ["941_S_0001"], kind: kind, supported: supported).pattern("answer")
    }

    func matches(_ regex: NSRegularExpression, _ text: String) -> Bool { SentSchema.matches(regex, text) }

    @Test func aDiagnosisAnswerOpensWithTheReading() throws {
        let dementia = try answerPattern(kind: .diagnosis, supported: [.dementia])
        #expect(matches(dementia, "The evidence points to Dementia because 4 of 5 similar subjects were Dementia."))
        #expect(matches(dementia, "The evidence points to Dementia because the MMSE 20/30 is low. The vote agrees."))
        #expect(!matches(dementia, "The evidence points to Dementia, similarity 0.998, age 80."), "0.5B copied a neighbour's line")
        #expect(!matches(dementia, "The evidence points to MCI because 3 of 5 similar subjects were MCI."))
        #expect(!matches(dementia, "The most likely diagnosis is Dementia."))
        #expect(!matches(dementia, "The evidence points to Dementia becauseof it."), "a word glued onto the opening")
        #expect(!matches(dementia, "The evidence points to Dementia because one. Two. Three."))
        let opening = PromptTemplate.answerOpening(.mci) + " the vote leads with MCI."
        #expect(matches(try answerPattern(kind: .diagnosis, supported: [.mci]), opening))
        #expect(try AnswerParser.diagnosis(inProse: opening, excerpt: "") == .mci, "the evaluation reads the opening as the diagnosis")
    }

    @Test func findingsOpenWithWhomTheyAreAbout() throws {
        func patterns(_ kind: QuestionKind) throws -> [NSRegularExpression] {
            try SentSchema(version: "v6", citing: ["941_S_0001", "941_S_0002"], kind: kind, supported: [.mci],
                           caseMeasures: ["MMSE", "brain parenchymal fraction"]).findingPatterns()
        }
        let diagnosis = try patterns(.diagnosis)
        try #require(diagnosis.count == 2)
        #expect(matches(diagnosis[0], "The case's MMSE 24/30 lies in the mild-impairment band."))
        #expect(matches(diagnosis[0], "The case's brain parenchymal fraction 0.826 lies at the Dementia group's 96th percentile."))
        #expect(!matches(diagnosis[0], "The case's recorded diagnosis MCI is the most similar."), "only a measure the case has")
        #expect(!matches(diagnosis[0], "The case's MoCA is 21."), "a measure the case does not have")
        #expect(!matches(diagnosis[0], "The evidence points to MCI because the MMSE is 24."), "a copy of the answer")
        #expect(matches(diagnosis[1], "941_S_0002 was recorded MCI with MMSE 25."))
        #expect(!matches(diagnosis[1], "941_S_0003 was recorded MCI."), "only the five given")
        #expect(!matches(diagnosis[1], "The case's MMSE is 24."))
        // A question about the case alone may rest its second finding on the case again.
        #expect(matches(try patterns(.severity)[1], "The MoCA of 21/30 is below the cut-off of 26."))
    }

    @Test func otherQuestionsAndSeveralOfferedDiagnosesAnswerFreely() throws {
        let free = "The impairment is mild: MMSE 24/30 lies in the mild band."
        #expect(matches(try answerPattern(kind: .severity, supported: [.dementia]), free))
        // Without one reading to state (a server offered several), the opening is not forced.
        #expect(matches(try answerPattern(kind: .diagnosis, supported: [.mci, .dementia]), "The most likely diagnosis is MCI."))
    }
}
