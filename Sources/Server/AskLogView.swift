import Foundation
import Store

/// The ask log, newest first: what was asked, of which case, and how it ended.
struct AskLogView: Encodable {
    struct Entry: Encodable {
        let id: Int64?
        let createdAt: String
        let caseID: String
        let question: String
        let status: String
        let diagnosis: String?
        let answer: String?
        let citedIDs: [String]?
        let contextIDs: [String]?
        let error: String?
        let model: String?
        let promptVersion: String

        init(_ r: AskRecord) {
            id = r.id
            createdAt = r.createdAt
            caseID = r.caseID
            question = r.question
            status = r.status
            diagnosis = r.diagnosis
            answer = r.answer
            citedIDs = r.citedIDs.flatMap(Self.strings)
            contextIDs = Self.strings(r.contextIDs)
            error = r.error
            model = r.servedModel ?? r.model
            promptVersion = r.promptVersion
        }

        /// The log keeps id lists as JSON arrays.
        static func strings(_ json: String) -> [String]? { try? JSONDecoder().decode([String].self, from: Data(json.utf8)) }

        enum CodingKeys: String, CodingKey {
            case id, createdAt = "created_at", caseID = "case_id", question, status, diagnosis, answer, citedIDs = "cited_ids"
            case contextIDs = "context_ids", error, model, promptVersion = "prompt_version"
        }
    }

    let total: Int
    let asks: [Entry]
}
