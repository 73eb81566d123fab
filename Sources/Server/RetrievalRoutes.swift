import Application
import Foundation
import Hummingbird

/// Retrieval without an LLM: the training cases nearest a stored case (its fused embedding) or a free-text
/// description (MiniLM and the learned projection), by cosine.
struct RetrievalRoutes {
    let workspace: Workspace
    let maxBodyBytes: Int

    struct Body: Decodable {
        let caseID: String?
        let text: String?
        let k: Int?
        let modalities: String?

        enum CodingKeys: String, CodingKey { case caseID = "case_id", text, k, modalities }
    }

    struct Output: Encodable {
        struct Neighbour: Encodable {
            let rank: Int
            let subjectID: String
            let similarity: Float
            let diagnosis: String

            enum CodingKeys: String, CodingKey { case rank, subjectID = "subject_id", similarity, diagnosis }
        }

        let query: [String: String]
        let neighbours: [Neighbour]
        let seconds: Double
    }

    func register(on router: Router<ServerRequestContext>) {
        router.post("/api/retrieve") { request, _ in
            let body = try await JSONBody.decode(Body.self, from: request, limit: maxBodyBytes)
            let k = body.k ?? 5
            guard (1...200).contains(k) else { throw APIError.badRequest("'k' must lie in 1…200, got \(k)") }
            let modalities = try QueryReader.modalities(body.modalities)
            let text = body.text?.trimmingCharacters(in: .whitespacesAndNewlines)
            let result: CaseRetriever.Result
            switch (body.caseID, text) {
            case let (caseID?, nil):
                result = try await Blocking.run { try workspace.retriever.neighbours(ofCase: caseID, modalities: modalities, k: k) }
            case let (nil, text?):
                guard !text.isEmpty, text.utf8.count <= 2_000 else { throw APIError.badRequest("'text' must hold 1…2000 bytes") }
                result = try await Blocking.run { try workspace.retriever.neighbours(ofText: text, k: k, query: try workspace.textCaseQuery()) }
            default:
                throw APIError.badRequest("give exactly one of 'case_id' or 'text'")
            }
            return try JSONBody.response(Output(
                query: body.caseID.map { ["case_id": $0] } ?? ["text": text ?? ""],
                neighbours: result.neighbours.map {
                    .init(rank: $0.rank, subjectID: $0.stored.id, similarity: $0.similarity, diagnosis: $0.stored.record.diagnosis.rawValue)
                },
                seconds: result.seconds))
        }
    }
}
