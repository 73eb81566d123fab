import Application
import Cohort
import Hummingbird

/// The case picker and one case: the list (filtered by split, diagnosis and a search over ids and captions),
/// one case's values, the encoder's predictions, and the neighbours a question would be grounded in.
struct CaseRoutes {
    let workspace: Workspace

    func register(on router: Router<ServerRequestContext>) {
        router.get("/api/cases") { request, _ in
            let query = QueryReader(request)
            let filter = CaseCatalog.Filter(split: try query.split(), diagnosis: try query.diagnosis(), search: query.string("search"),
                                            limit: try query.int("limit", default: 100, in: 1...CaseCatalog.Filter.maximumLimit) ?? 100,
                                            offset: try query.int("offset", default: 0, in: 0...Int(Int32.max)) ?? 0)
            return try JSONBody.response(try await Blocking.run { try workspace.catalog.list(filter) })
        }
        router.get("/api/cases/:id") { _, context in
            let id = try context.parameters.require("id")
            return try JSONBody.response(CaseView(try await Blocking.run { try workspace.catalog.detail(id) }))
        }
        router.get("/api/cases/:id/prediction") { request, context in
            let id = try context.parameters.require("id")
            let modalities = try QueryReader(request).modalities()
            return try JSONBody.response(try await Blocking.run { try workspace.predictor.predict(caseID: id, modalities: modalities) })
        }
        router.get("/api/cases/:id/neighbours") { request, context in
            let id = try context.parameters.require("id")
            let query = QueryReader(request)
            let question = query.string("question") ?? "What is the most likely diagnosis, and why?"
            let modalities = try query.modalities()
            let size = try query.int("context", default: 5, in: 1...20) ?? 5
            let prepared = try await Blocking.run {
                try workspace.context(caseID: id, question: question, modalities: modalities, contextSize: size)
            }
            return try JSONBody.response(ContextView(caseID: id, question: prepared.request.question, reranked: prepared.reranked != nil,
                                                     context: AskReport.context(prepared)))
        }
    }

    /// The neighbours a question about the case would be given, best first.
    struct ContextView: Encodable {
        let caseID: String
        let question: String
        let reranked: Bool
        let context: [AskReport.ContextCase]

        enum CodingKeys: String, CodingKey { case caseID = "case_id", question, reranked, context }
    }
}
