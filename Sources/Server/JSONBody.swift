import Foundation
import HTTPTypes
import Hummingbird

/// Reading and writing JSON bodies: the request body within the size limit, decoded strictly; responses
/// with snake_case keys as the CLI's `--json`.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("the request body is empty; a JSON object is expected") }
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
