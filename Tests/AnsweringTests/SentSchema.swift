@testable import Answering
import Cohort
import Foundation
import Testing

/// The JSON schema a prompt version sends for one question, parsed for the tests that read its parts (v4 on: the
/// schema is filled per question, so each version's tests read what the server would receive).
struct SentSchema {
    let root: [String: Any]
    let properties: [String: [String: Any]]

    init(version: String, citing ids: [String], kind: QuestionKind, supported: [Diagnosis], caseMeasures: [String] = []) throws {
        let template = try PromptTemplate.load(directory: PromptTemplateTests.promptsRoot + "/" + version)
        guard case .jsonSchema(_, let data) = try template.responseFormat(citing: ids, kind: kind, supported: supported,
                                                                          caseMeasures: caseMeasures) else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "\(version) must send a JSON schema"])
        }
        root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        properties = try #require(root["properties"] as? [String: [String: Any]])
    }

    /// The `pattern` of a top-level string property, compiled.
    func pattern(_ property: String) throws -> NSRegularExpression {
        try NSRegularExpression(pattern: try #require(properties[property]?["pattern"] as? String))
    }

    /// Each fixed finding's fields (`prefixItems`, v5 on).
    func findingFields() throws -> [[String: [String: Any]]] {
        let items = try #require(properties["findings"]?["prefixItems"] as? [[String: Any]])
        return try items.map { try #require($0["properties"] as? [String: [String: Any]]) }
    }

    /// Each fixed finding's text pattern, compiled.
    func findingPatterns() throws -> [NSRegularExpression] {
        try findingFields().map { try NSRegularExpression(pattern: try #require($0["finding"]?["pattern"] as? String)) }
    }

    static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
