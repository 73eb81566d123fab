import Answering
import Application
import Evaluation
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import TestSupport
@testable import Server

/// Evaluation runs stored by `memoir eval vqa` are listed, summarised and reported over the API, as the
/// CLI's report computes them; bad and unknown run ids are JSON errors.
@Suite struct EvaluationRouteTests {
    let library: ServerLibrary

    init() throws { library = try ServerLibrary.shared.get() }

    /// A run of three diagnosis questions on one backbone (two answered right by their text, one failed) and the
    /// evidence-only row, recorded as `eval vqa` records them.
    static func recordRun(in store: CaseStore, caseID: String, finished: Bool) throws -> String {
        let runs = VQARunStore(store: store)
        let settings: [EvaluationResults.Setting] = [.init("QA file", "qa.jsonl (sha256 00)"), .init("backbones", "tiny"),
                                                     .init("BERTScore", "all-MiniLM-L6-v2_L6_no-idf_version=0.3.12")]
        let runID = VQAEvaluation.runID(settings: settings)
        try runs.open(runID: runID, settings: settings)
        func row(_ n: Int, _ backbone: String, _ text: String, error: String? = nil) -> QuestionResult {
            QuestionResult(qaID: "q\(n)", caseID: caseID, backbone: backbone, modalities: "t1+fa+clinical", category: .diagnosis,
                           textDiagnosis: QuestionResult.diagnosis(inText: text), expectedDiagnosis: n == 3 ? .mci : .dementia,
                           answer: text, reference: "Dementia due to Alzheimer's disease.", latencySeconds: 1.5, error: error)
        }
        let rows = [row(1, "tiny", "The findings point to dementia."), row(2, "tiny", "Most likely dementia."),
                    row(3, "tiny", "", error: "LLM timed out"), row(1, VQAEvaluation.evidenceOnlyName, "The neighbours' vote is dementia.")]
        for r in rows { try runs.record(runID: runID, result: r, askID: nil) }
        if finished { try runs.finish(runID: runID) }
        return runID
    }

    @Test func storedRunsAreListedSummarisedAndReported() async throws {
        let workspace = try library.workspace(textModel: "/nonexistent/minilm")
        let runID = try Self.recordRun(in: workspace.store, caseID: library.withFA, finished: false)
        let server = try MemoirServer(workspace: workspace, configuration: ServerConfiguration())
        try await server.application().test(.router) { client in
            let list = try Body.object(try await client.execute(uri: "/api/evaluations", method: .get))
            let runs = try #require(list["runs"] as? [[String: Any]])
            #expect(runs.count == 1)
            #expect(runs.first?["id"] as? String == runID && runs.first?["answers"] as? Int == 4 && runs.first?["failed"] as? Int == 1)
            #expect(runs.first?["finished"] as? Bool == false && runs.first?["finished_at"] == nil)

            let detail = try Body.object(try await client.execute(uri: "/api/evaluations/\(runID)", method: .get))
            let backbones = try #require(detail["backbones"] as? [[String: Any]])
            let tiny = try #require(backbones.first { $0["backbone"] as? String == "tiny" })
            // Two of three diagnosis questions named the expected diagnosis in their text; the failed one counts as wrong.
            #expect(tiny["diagnosis_correct"] as? Int == 2 && tiny["diagnosis_questions"] as? Int == 3 && tiny["failed"] as? Int == 1)
            let settings = try #require((detail["run"] as? [String: Any])?["settings"] as? [[String: Any]])
            #expect(settings.contains { $0["name"] as? String == "QA file" })

            let report = try await client.execute(uri: "/api/evaluations/\(runID)/report", method: .get)
            #expect(report.status == .ok && report.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(report.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            let html = Body.text(report)
            #expect(html.contains("<h2>Backbones</h2>") && html.contains("not finished") && html.contains("not computed"))
        }
    }

    @Test func unknownAndMalformedRunIDsAreJSONErrors() async throws {
        let server = try MemoirServer(workspace: try library.workspace(), configuration: ServerConfiguration())
        try await server.application().test(.router) { client in
            try APIRouteTests.expectError(try await client.execute(uri: "/api/evaluations/0123456789abcdef", method: .get), 404, "no evaluation run")
            try APIRouteTests.expectError(try await client.execute(uri: "/api/evaluations/0123456789abcdef/report", method: .get), 404)
            try APIRouteTests.expectError(try await client.execute(uri: "/api/evaluations/not-a-run", method: .get), 400, "hexadecimal")
            let empty = try Body.object(try await client.execute(uri: "/api/evaluations", method: .get))
            #expect((empty["runs"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(.tags(.miniLM), .needsMiniLM) func reportsAreScoredWithMiniLM() async throws {
        let workspace = try library.workspace()
        let runID = try Self.recordRun(in: workspace.store, caseID: library.withFA, finished: true)
        let server = try MemoirServer(workspace: workspace, configuration: ServerConfiguration())
        try await server.application().test(.router) { client in
            let detail = try Body.object(try await client.execute(uri: "/api/evaluations/\(runID)", method: .get))
            let backbones = try #require(detail["backbones"] as? [[String: Any]])
            let tiny = try #require(backbones.first { $0["backbone"] as? String == "tiny" })
            let f1 = try #require((tiny["bert_score"] as? [String: Any])?["f1"] as? Double)
            #expect(f1 > 0.3 && f1 < 1, "BERTScore F1 of two answered rows: \(f1)")
            #expect((detail["run"] as? [String: Any])?["finished"] as? Bool == true)
        }
    }
}
