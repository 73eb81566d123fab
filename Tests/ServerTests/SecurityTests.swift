import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
@testable import Server

/// Safe by default: loopback unless told otherwise, a token required elsewhere and checked on every API
/// call, same-origin only, bounded bodies and request rates.
@Suite struct SecurityTests {
    let library: ServerLibrary
    static let token = "memoir-serve-token-0123456789abcdef"

    init() throws { library = try ServerLibrary.shared.get() }

    @Test func bindingBeyondLoopbackNeedsAToken() throws {
        var configuration = ServerConfiguration()
        configuration.host = "0.0.0.0"
        #expect(throws: ServerError.self) { try configuration.validated() }
        configuration.token = "short"
        #expect(throws: ServerError.self) { try configuration.validated() }
        configuration.token = Self.token
        #expect(try configuration.validated().token == Self.token)
        for host in ["127.0.0.1", "localhost", "::1", "[::1]", "127.3.4.5"] { #expect(ServerConfiguration.isLoopback(host), "\(host)") }
        for host in ["0.0.0.0", "192.168.1.4", "example.com", "127.evil.com.", "::"] {
            #expect(!ServerConfiguration.isLoopback(host) || host.hasPrefix("127."), "\(host)")
        }
    }

    @Test func tokenFromFileOrEnvironment() throws {
        let folder = try TemporaryFolder()
        let file = folder.file("token")
        try "\(Self.token)\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try ServerConfiguration.token(file: file, environment: [:]) == Self.token)
        #expect(try ServerConfiguration.token(file: nil, environment: ["MEMOIR_SERVE_TOKEN": "from-env"]) == "from-env")
        #expect(try ServerConfiguration.token(file: nil, environment: [:]) == nil)
        #expect(throws: ServerError.self) { try ServerConfiguration.token(file: folder.file("missing"), environment: [:]) }
        try "\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: ServerError.self) { try ServerConfiguration.token(file: file, environment: [:]) }
    }

    @Test func tokenComparison() {
        #expect(TokenCheck.matches(Self.token, Self.token))
        #expect(!TokenCheck.matches(Self.token + "x", Self.token) && !TokenCheck.matches("", Self.token))
        #expect(!TokenCheck.matches(String(Self.token.dropLast()) + "0", Self.token))
        #expect(TokenCheck.bearer("Bearer abc") == "abc" && TokenCheck.bearer("bearer  abc ") == "abc")
        #expect(TokenCheck.bearer("Basic abc") == nil && TokenCheck.bearer(nil) == nil)
    }

    @Test func everyAPICallNeedsTheTokenWhenOneIsSet() async throws {
        var configuration = ServerConfiguration()
        configuration.token = Self.token
        let server = try MemoirServer(workspace: try library.workspace(), configuration: configuration)
        let caseID = library.withFA
        try await server.application().test(.router) { client in
            for path in ["/api/cases", "/api/cases/\(caseID)", "/api/asks", "/metrics", "/api/cases/\(caseID)/volumes/t1/axial"] {
                try APIRouteTests.expectError(try await client.execute(uri: path, method: .get), 401, "token")
                try APIRouteTests.expectError(try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer wrong-token-0123456789abc"]), 401)
                let ok = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(Self.token)"])
                #expect(ok.status == .ok, "\(path): \(Body.text(ok).prefix(200))")
            }
            try APIRouteTests.expectError(try await client.execute(uri: "/api/ask", method: .post, body: ByteBuffer(string: "{}")), 401)
            for path in ["/", "/health", "/openapi.json", "/static/app.js"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path) is public")
            }
        }
    }

    @Test func crossOriginAndForeignHostsAreRefused() async throws {
        let server = try MemoirServer(workspace: try library.workspace(), configuration: ServerConfiguration())
        try await server.application().test(.router) { client in
            let foreign = try await client.execute(uri: "/api/cases", method: .get,
                                                   headers: [AccessMiddleware.hostHeader: "127.0.0.1:8765", .origin: "http://evil.example"])
            try APIRouteTests.expectError(foreign, 403, "cross-origin")
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)
            let preflight = try await client.execute(uri: "/api/ask", method: .options,
                                                     headers: [AccessMiddleware.hostHeader: "127.0.0.1:8765", .origin: "http://evil.example"])
            try APIRouteTests.expectError(preflight, 403, "cross-origin")
            let same = try await client.execute(uri: "/api/cases", method: .get, headers: [AccessMiddleware.hostHeader: "127.0.0.1:8765", .origin: "http://127.0.0.1:8765"])
            #expect(same.status == .ok)
            try APIRouteTests.expectError(try await client.execute(uri: "/api/cases", method: .get, headers: [AccessMiddleware.hostHeader: "rebound.example:8765"]), 403, "loopback")
            let local = try await client.execute(uri: "/api/cases", method: .get, headers: [AccessMiddleware.hostHeader: "localhost:8765"])
            #expect(local.status == .ok)
        }
    }

    @Test func oversizeBodiesAndFloodsAreRefused() async throws {
        var configuration = ServerConfiguration()
        configuration.maxBodyBytes = 1_000
        // A refill slow enough that no machine, however loaded, earns a token back during the test.
        configuration.rateLimit = 0.01
        configuration.rateBurst = 5
        let server = try MemoirServer(workspace: try library.workspace(), configuration: configuration)
        try await server.application().test(.router) { client in
            let big = ByteBuffer(string: #"{"case_id": ""# + String(repeating: "x", count: 5_000) + #""}"#)
            try APIRouteTests.expectError(try await client.execute(uri: "/api/retrieve", method: .post, body: big), 413)
            var statuses: [Int] = []
            for _ in 0..<10 { statuses.append(try await client.execute(uri: "/health", method: .get).status.code) }
            #expect(statuses.contains(429) && statuses.first == 200, "\(statuses)")
            let limited = try await client.execute(uri: "/health", method: .get)
            try APIRouteTests.expectError(limited, 429, "too many requests")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
        }
    }
}
