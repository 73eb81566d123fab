import Foundation

/// Prompt versions from v2 on: the LLM reads Memoir's evidence (stable for a case, so it comes first and
/// llama.cpp's prompt cache serves follow-up questions), then the question and its kind; the schema's slots
/// give the diagnosis field only to diagnosis questions and limit sources and citations to the five subjects.
extension PromptTemplate {
    /// Whether this version reads `{{evidence}}` (v2 on) rather than captions (v1).
    public var readsEvidence: Bool { placeholders.contains("evidence") }

    public func messages(evidence: Evidence, question: String, kind: QuestionKind) throws -> [ChatMessage] {
        try render(["evidence": evidence.promptText, "question": question, "question_kind": kind.rawValue.replacingOccurrences(of: "_", with: " "),
                    "instruction": kind.instruction])
    }

    /// The answer schema for one question: a diagnosis field only when `kind` asks for one; sources "case" or
    /// one of `subjectIDs`; citations from `subjectIDs`. Property order is kept: llama.cpp writes properties
    /// in the schema's order, so the diagnosis is committed before the text that must agree with it.
    public func responseFormat(citing subjectIDs: [String], kind: QuestionKind) throws -> ResponseFormat {
        let text = String(decoding: schema, as: UTF8.self)
        guard text.contains("{{") else { return try responseFormat(citing: subjectIDs) }
        let filled = try Self.fill(text, Self.schemaValues(citing: subjectIDs, diagnosis: kind.asksForDiagnosis), file: Self.schemaFile)
        return .jsonSchema(name: "memoir_answer", schema: Data(filled.utf8))
    }

    static func schemaValues(citing subjectIDs: [String], diagnosis: Bool) -> [String: String] {
        func list(_ items: [String]) -> String {
            String(decoding: (try? JSONSerialization.data(withJSONObject: items)) ?? Data("[]".utf8), as: UTF8.self)
        }
        return ["diagnosis_property": diagnosis ? #""diagnosis": { "type": "string", "enum": ["CN", "MCI", "Dementia"] }, "# : "",
                "diagnosis_required": diagnosis ? #""diagnosis", "# : "",
                "sources": list(["case"] + subjectIDs), "citable_ids": list(subjectIDs)]
    }

    static var sampleSchemaValues: [String: String] { schemaValues(citing: ["000_S_0000"], diagnosis: true) }
}
