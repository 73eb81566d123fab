import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import TestSupport
@testable import Server

/// Every route in process (HummingbirdTesting's router mode): good input answers with the documented JSON or
/// PNG, bad input with `{"error", "status"}` and a 4xx, never a 500.
@Suite struct APIRouteTests {
    let library: ServerLibrary

    init() throws { library = try ServerLibrary.shared.get() }

    func withServer(_ server: MemoirServer? = nil, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let server = try server ?? MemoirServer(workspace: try library.workspace(), configuration: ServerConfiguration())
        try await server.application().test(.router) { client in try await test(client) }
    }

    /// A JSON error with the given status, whose message contains `fragment`.
    static func expectError(_ response: TestResponse, _ status: Int, _ fragment: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status.code == status, "\(Body.text(response))", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        let body = try Body.object(response)
        #expect(body["status"] as? Int == status, sourceLocation: sourceLocation)
        let message = body["error"] as? String ?? ""
        #expect(!message.isEmpty && (fragment.isEmpty || message.contains(fragment)), "\(message)", sourceLocation: sourceLocation)
    }

    @Test func healthCasesAndOneCase() async throws {
        let library = library
        try await withServer { client in
            let health = try Body.object(try await client.execute(uri: "/health", method: .get))
            #expect(health["status"] as? String == "ok" && health["cases"] as? Int == 6 && health["llm_configured"] as? Bool == false)

            let all = try Body.object(try await client.execute(uri: "/api/cases", method: .get))
            #expect(all["total"] as? Int == 6 && (all["cases"] as? [[String: Any]])?.count == 6)
            let test = try Body.object(try await client.execute(uri: "/api/cases?split=test", method: .get))
            #expect(Set(((test["cases"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }) == Set(library.testIDs))
            let cn = try Body.object(try await client.execute(uri: "/api/cases?diagnosis=CN&limit=1", method: .get))
            let cnCases = (cn["cases"] as? [[String: Any]]) ?? []
            #expect(cnCases.count == 1 && cnCases.first?["diagnosis"] as? String == "CN" && (cn["total"] as? Int ?? 0) >= 1)
            let search = try Body.object(try await client.execute(uri: "/api/cases?search=\(library.withFA.suffix(4))", method: .get))
            #expect(((search["cases"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == library.withFA })

            let one = try Body.object(try await client.execute(uri: "/api/cases/\(library.withFA)", method: .get))
            #expect(one["id"] as? String == library.withFA && one["fa"] as? Bool == true && !(one["caption"] as? String ?? "").isEmpty)
            let raw = Body.text(try await client.execute(uri: "/api/cases/\(library.withFA)", method: .get))
            #expect(one["t1_path"] == nil && !raw.contains("/images/"), "file paths stay on the server")
        }
    }

    @Test func badCaseQueriesAreClearErrors() async throws {
        try await withServer { client in
            try Self.expectError(try await client.execute(uri: "/api/cases/000_S_0000", method: .get), 404, "unknown case id '000_S_0000'")
            try Self.expectError(try await client.execute(uri: "/api/cases?split=validation", method: .get), 400, "split")
            try Self.expectError(try await client.execute(uri: "/api/cases?diagnosis=flu", method: .get), 400, "diagnosis")
            try Self.expectError(try await client.execute(uri: "/api/cases?limit=0", method: .get), 400, "limit")
            try Self.expectError(try await client.execute(uri: "/api/cases?limit=ten", method: .get), 400, "limit")
            try Self.expectError(try await client.execute(uri: "/api/cases?offset=-1", method: .get), 400, "offset")
            try Self.expectError(try await client.execute(uri: "/api/nothing-here", method: .get), 404, "no such route")
            try Self.expectError(try await client.execute(uri: "/api/cases/000_S_0000/prediction", method: .get), 404, "unknown case")
            try Self.expectError(try await client.execute(uri: "/api/cases/000_S_0000/neighbours", method: .get), 404, "unknown case")
        }
    }

    @Test func predictionAndNeighbours() async throws {
        let library = library
        try await withServer { client in
            let p = try Body.object(try await client.execute(uri: "/api/cases/\(library.withoutFA)/prediction", method: .get))
            #expect(["CN", "MCI", "Dementia"].contains(p["diagnosis"] as? String ?? ""), "\(p)")
            #expect((p["missing"] as? [String]) == ["fa"])
            try Self.expectError(try await client.execute(uri: "/api/cases/\(library.withoutFA)/prediction?modalities=fa", method: .get), 422, "nothing to encode")
            try Self.expectError(try await client.execute(uri: "/api/cases/\(library.withFA)/prediction?modalities=pet", method: .get), 400, "modalities")

            let caseID = try #require(library.testIDs.first)
            let n = try Body.object(try await client.execute(uri: "/api/cases/\(caseID)/neighbours?context=3", method: .get))
            let context = (n["context"] as? [[String: Any]]) ?? []
            #expect(context.count == min(3, library.trainIDs.count) && n["reranked"] as? Bool == false)
            #expect(context.allSatisfy { library.trainIDs.contains($0["subject_id"] as? String ?? "") && $0["similarity"] is Double })
            try Self.expectError(try await client.execute(uri: "/api/cases/\(caseID)/neighbours?context=99", method: .get), 400, "context")
        }
    }

    @Test func retrievalByCaseAndBadBodies() async throws {
        let library = library
        try await withServer { client in
            let caseID = try #require(library.testIDs.first)
            let r = try Body.object(try await client.execute(uri: "/api/retrieve", method: .post, headers: [.contentType: "application/json"],
                                                             body: try Body.json(["case_id": caseID, "k": 3])))
            let neighbours = (r["neighbours"] as? [[String: Any]]) ?? []
            #expect(neighbours.count == min(3, library.trainIDs.count) && neighbours.first?["rank"] as? Int == 1)
            #expect(!neighbours.contains { $0["subject_id"] as? String == caseID })

            func post(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/retrieve", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
            }
            try Self.expectError(try await post(#"{"case_id": "#), 400, "malformed JSON")
            try Self.expectError(try await post(#"{"case_id": 12}"#), 400, "malformed JSON")
            try Self.expectError(try await post(""), 400, "empty")
            try Self.expectError(try await post(#"{}"#), 400, "exactly one")
            try Self.expectError(try await post(#"{"case_id": "a", "text": "b"}"#), 400, "exactly one")
            try Self.expectError(try await post(#"{"case_id": "\#(caseID)", "k": 0}"#), 400, "'k'")
            try Self.expectError(try await post(#"{"case_id": "000_S_0000"}"#), 404, "unknown case")
            try Self.expectError(try await post(#"{"text": "   "}"#), 400, "'text'")
            let huge = #"{"text": ""# + String(repeating: "a", count: 100_000) + #""}"#
            try Self.expectError(try await post(huge), 413, "limit")
        }
    }

    @Test func volumesAndSlices() async throws {
        let library = library
        try await withServer { client in
            let info = try Body.object(try await client.execute(uri: "/api/cases/\(library.withFA)/volumes/t1", method: .get))
            #expect(info["shape"] as? [Int] == [91, 109, 91] && info["convention"] as? String == "radiological")
            let axial = try #require((info["orientation"] as? [String: Any])?["axial"] as? [String: Any])
            #expect(axial["left"] as? String == "R" && axial["right"] as? String == "L" && axial["top"] as? String == "A")
            let neurological = try Body.object(try await client.execute(uri: "/api/cases/\(library.withFA)/volumes/t1?convention=neurological", method: .get))
            #expect(((neurological["orientation"] as? [String: Any])?["coronal"] as? [String: Any])?["left"] as? String == "L")

            for plane in ["axial", "coronal", "sagittal"] {
                for modality in ["t1", "fa"] {
                    let png = try await client.execute(uri: "/api/cases/\(library.withFA)/volumes/\(modality)/\(plane)", method: .get)
                    #expect(png.status == .ok && png.headers[.contentType] == "image/png", "\(plane) \(modality)")
                    #expect(Array(png.body.readableBytesView.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
                }
            }
            let indexed = try await client.execute(uri: "/api/cases/\(library.withFA)/volumes/t1/axial?index=10&low=0&high=500", method: .get)
            #expect(indexed.headers[.sliceIndex] == "10" && indexed.headers[.sliceCount] == "91")
            #expect(indexed.headers[.sliceOrientation]?.contains("left=R right=L top=A bottom=P convention=radiological") == true)

            let base = "/api/cases/\(library.withFA)/volumes"
            try Self.expectError(try await client.execute(uri: "\(base)/t1/oblique", method: .get), 400, "plane")
            try Self.expectError(try await client.execute(uri: "\(base)/t1/axial?index=91", method: .get), 400, "outside 0…90")
            try Self.expectError(try await client.execute(uri: "\(base)/t1/axial?index=-3", method: .get), 400, "index")
            try Self.expectError(try await client.execute(uri: "\(base)/t1/axial?low=5", method: .get), 400, "both")
            try Self.expectError(try await client.execute(uri: "\(base)/t1/axial?low=5&high=1", method: .get), 400, "below")
            try Self.expectError(try await client.execute(uri: "\(base)/pet/axial", method: .get), 400, "modality")
            try Self.expectError(try await client.execute(uri: "\(base)/clinical", method: .get), 400, "modality")
            try Self.expectError(try await client.execute(uri: "/api/cases/\(library.withoutFA)/volumes/fa/axial", method: .get), 404, "no FA image")
            try Self.expectError(try await client.execute(uri: "/api/cases/000_S_0000/volumes/t1/axial", method: .get), 404, "unknown case")
        }
    }

    @Test func webPageOpenAPIAndMetrics() async throws {
        try await withServer { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok && Body.text(page).contains("Memoir workspace"))
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            let script = try await client.execute(uri: "/static/app.js", method: .get)
            #expect(script.headers[.contentType]?.hasPrefix("text/javascript") == true)
            try Self.expectError(try await client.execute(uri: "/static/..%2FPackage.swift", method: .get), 404)
            let doc = try Body.object(try await client.execute(uri: "/openapi.json", method: .get))
            #expect((doc["openapi"] as? String)?.hasPrefix("3.") == true)

            _ = try await client.execute(uri: "/api/cases/000_S_0000", method: .get)
            let metrics = Body.text(try await client.execute(uri: "/metrics", method: .get))
            #expect(metrics.contains(#"memoir_http_requests_total{route="/api/cases/{id}",method="GET",status="404"}"#)
                || metrics.contains(#"route="/api/cases/:id""#), "\(metrics.prefix(2000))")
            #expect(metrics.contains("memoir_http_request_duration_seconds_bucket") && metrics.contains("memoir_ask_queue_depth"))
        }
    }

    @Test func askLogListsNewestFirst() async throws {
        try await withServer { client in
            let log = try Body.object(try await client.execute(uri: "/api/asks", method: .get))
            #expect(log["total"] as? Int == 0 && (log["asks"] as? [Any])?.isEmpty == true)
            try Self.expectError(try await client.execute(uri: "/api/asks?limit=0", method: .get), 400, "limit")
        }
    }
}
