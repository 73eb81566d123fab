import Foundation

extension PromptTemplate {
    /// The answer schema with `cited_subject_ids` limited to the subjects actually given, so a server that
    /// enforces the schema (llama.cpp grammars, vLLM guided decoding) cannot cite anyone else.
    public func responseFormat(citing subjectIDs: [String]) throws -> ResponseFormat {
        guard var object = try JSONSerialization.jsonObject(with: schema) as? [String: Any],
              var properties = object["properties"] as? [String: Any],
              var cited = properties["cited_subject_ids"] as? [String: Any],
              var items = cited["items"] as? [String: Any] else {
            return responseFormat
        }
        items["enum"] = subjectIDs
        cited["items"] = items
        cited["maxItems"] = subjectIDs.count
        properties["cited_subject_ids"] = cited
        object["properties"] = properties
        return .jsonSchema(name: "memoir_answer", schema: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}
