import Foundation
import HTTPTypes
import Hummingbird

/// The web workspace: plain HTML, CSS and JavaScript read from the module's resources at start and served
/// from memory. Only the files found there are served, by exact name, so no path reaches the file system.
struct WebRoutes {
    let files: [String: (type: String, data: Data)]

    /// The files of `Resources/web`, by name.
    static func load() throws -> [String: (type: String, data: Data)] {
        // By path inside the bundle, not by resource lookup: on Linux a bundle holding a folder named
        // "Resources" would send lookups there instead.
        let folder = Bundle.module.bundleURL.appendingPathComponent("web")
        let types = ["html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
                     "png": "image/png", "svg": "image/svg+xml"]
        var files: [String: (type: String, data: Data)] = [:]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw ServerError.missingResource("web/")
        }
        for name in names {
            guard let type = types[(name as NSString).pathExtension] else { continue }
            files[name] = (type, try Data(contentsOf: folder.appendingPathComponent(name)))
        }
        guard files["index.html"] != nil else { throw ServerError.missingResource("Resources/web/index.html") }
        return files
    }

    static func openAPIDocument() throws -> Data {
        let url = Bundle.module.bundleURL.appendingPathComponent("openapi.json")
        guard FileManager.default.fileExists(atPath: url.path) else { throw ServerError.missingResource("openapi.json") }
        return try Data(contentsOf: url)
    }

    func register(on router: Router<ServerRequestContext>) {
        let files = self.files
        router.get("/") { _, _ in try Self.respond(files["index.html"]) }
        router.get("/static/:file") { _, context in try Self.respond(files[try context.parameters.require("file")]) }
    }

    private static func respond(_ file: (type: String, data: Data)?) throws -> Response {
        guard let file else { throw APIError(.notFound, "no such file") }
        return Response(status: .ok, headers: [.contentType: file.type, .cacheControl: "no-cache"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.data)))
    }
}
