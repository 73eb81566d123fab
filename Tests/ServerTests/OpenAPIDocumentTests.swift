import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
@testable import Server

/// The hand-written OpenAPI document stays true to the router: every operation it lists answers (not "no
/// such route", not a 5xx other than the documented 503), and every API route the router has is listed.
@Suite struct OpenAPIDocumentTests {
    let library: ServerLibrary

    init() throws { library = try ServerLibrary.shared.get() }

    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.repositoryRoot + "/Sources/Server/Resources/openapi.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func everyDocumentedOperationAnswers() async throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        #expect(paths.count >= 12)
        let server = try MemoirServer(workspace: try library.workspace(), configuration: ServerConfiguration())
        let caseID = library.withFA
        let operations = paths.flatMap { path, methods in methods.keys.map { (path, $0) } }
        try await server.application().test(.router) { client in
            for (template, method) in operations {
                let uri = template.replacingOccurrences(of: "{id}", with: caseID).replacingOccurrences(of: "{modality}", with: "t1")
                    .replacingOccurrences(of: "{plane}", with: "axial")
                let body: ByteBuffer? = method == "post"
                    ? try Body.json(["case_id": caseID, "question": "What is the most likely diagnosis?"]) : nil
                let response = try await client.execute(uri: uri, method: HTTPRequest.Method(rawValue: method.uppercased()) ?? .get, body: body)
                let routed = !(response.status == .notFound && Body.text(response).contains("no such route"))
                #expect(routed && response.status != .methodNotAllowed, "\(method) \(template) is not routed")
                // Asking needs an LLM, which this test has none of: the documented 503.
                #expect(response.status.code < 500 || (template == "/api/ask" && response.status == .serviceUnavailable),
                        "\(method) \(template): \(response.status) \(Body.text(response).prefix(200))")
            }
        }
    }

    @Test func everyAPIRouteIsDocumented() throws {
        let documented = Set(try #require(try Self.document()["paths"] as? [String: Any]).keys)
        let server = try MemoirServer(workspace: try library.workspace(), configuration: ServerConfiguration())
        for route in server.router().routes {
            // The router writes parameters as {name} or :name depending on version; compare in OpenAPI's form.
            let path = route.path.description.split(separator: "/").map { part in
                part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
            }.joined(separator: "/")
            let openAPIPath = "/" + path
            guard openAPIPath.hasPrefix("/api/") || ["/health", "/metrics", "/openapi.json"].contains(openAPIPath) else { continue }
            #expect(documented.contains(openAPIPath), "\(route.method) \(openAPIPath) is missing from openapi.json")
        }
    }
}
