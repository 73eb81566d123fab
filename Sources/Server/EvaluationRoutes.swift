import Application
import Evaluation
import Foundation
import HTTPTypes
import Hummingbird

/// The VQA evaluation runs the store holds (`memoir eval vqa` writes them): listed, one run's summaries per
/// backbone, modality subset and category, and its HTML report. Reports are scored on first request and
/// cached; nothing here asks an LLM.
struct EvaluationRoutes {
    let workspace: Workspace

    func register(on router: Router<ServerRequestContext>) {
        router.get("/api/evaluations") { _, _ in
            let runs = try await Blocking.run { try workspace.evaluations.list() }
            return try Self.json(RunList(runs: runs.map(RunView.init)))
        }
        router.get("/api/evaluations/:id") { _, context in
            let id = try Self.runID(context)
            let (run, report) = try await Blocking.run { (try workspace.evaluations.run(id), try workspace.evaluations.report(id)) }
            return try Self.json(RunDetail(run: RunView(run), backbones: report.backbones, subsets: report.subsets,
                                           categories: report.categories))
        }
        router.get("/api/evaluations/:id/report") { _, context in
            let id = try Self.runID(context)
            let html = try await Blocking.run { try workspace.evaluations.report(id).html() }
            // A page of its own: no scripts, nothing loaded from elsewhere (the workspace shows it in a sandboxed frame).
            let headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'"]
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
    }

    /// Run ids are 16 hex digits (a hash of the run's settings).
    static func runID(_ context: ServerRequestContext) throws -> String {
        let id = try context.parameters.require("id")
        guard id.count <= 64, id.allSatisfy({ $0.isHexDigit }) else {
            throw APIError.badRequest("an evaluation run id is hexadecimal, got '\(id.prefix(40))'")
        }
        return id.lowercased()
    }

    static func json(_ value: some Encodable) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: try SnakeCaseJSON.encoder().encode(value))))
    }

    struct RunList: Encodable { let runs: [RunView] }

    struct RunView: Encodable {
        let id: String
        let createdAt: String
        let finishedAt: String?
        let finished: Bool
        let answers: Int
        let failed: Int
        let settings: [EvaluationResults.Setting]

        init(_ run: StoredVQARun) {
            id = run.info.id
            createdAt = run.info.createdAt
            finishedAt = run.info.finishedAt
            finished = run.info.finishedAt != nil
            answers = run.info.answers
            failed = run.info.failed
            settings = run.settings
        }
    }

    struct RunDetail: Encodable {
        let run: RunView
        let backbones: [EvaluationSummary]
        let subsets: [EvaluationSummary]
        let categories: [EvaluationSummary]
    }
}
