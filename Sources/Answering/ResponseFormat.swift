import Foundation

/// Constrains what the model may emit. llama.cpp's server turns a JSON schema into a grammar,
/// so even a 135M model produces parseable JSON with an allowed diagnosis.
public enum ResponseFormat: Sendable, Equatable {
    /// Any JSON object.
    case jsonObject
    /// JSON matching `schema` (the schema document's UTF-8 bytes, sent verbatim).
    case jsonSchema(name: String, schema: Data)

    /// The `response_format` value as JSON text. The schema is spliced in byte for byte:
    /// llama.cpp generates properties in the schema's order, and re-encoding through a
    /// dictionary would shuffle them (a long "answer" before "diagnosis" can then be cut
    /// by max_tokens before the diagnosis is written).
    func requestJSON() throws -> Data {
        switch self {
        case .jsonObject:
            return Data(#"{"type":"json_object"}"#.utf8)
        case let .jsonSchema(name, schema):
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: schema)
            } catch {
                throw LLMError.invalidRequest("response_format schema '\(name)' is not valid JSON: \(error.localizedDescription)")
            }
            guard object is [String: Any] else {
                throw LLMError.invalidRequest("response_format schema '\(name)' must be a JSON object")
            }
            var json = Data(#"{"type":"json_schema","json_schema":{"name":"#.utf8)
            json.append(try JSONSerialization.data(withJSONObject: name, options: [.fragmentsAllowed]))
            json.append(Data(#","strict":true,"schema":"#.utf8))
            json.append(schema)
            json.append(Data("}}".utf8))
            return json
        }
    }
}
