import Foundation
import Numerics

/// One version of the answering prompt (Prompts/vN): system and user templates with
/// `{{name}}` placeholders, and the JSON schema of the answer.
public struct PromptTemplate: Sendable {
    /// Recorded with every answer: the version directory's name, e.g. "v1".
    public let version: String
    public let directory: String
    public let system: String
    public let user: String
    /// answer.schema.json as read (validated to be a JSON object).
    public let schema: Data

    /// The version commands use unless told otherwise.
    public static let currentVersion = "v11"

    public static let systemFile = "system.md"
    public static let userFile = "user.md"
    public static let schemaFile = "answer.schema.json"
    /// Largest template or schema file read (the shipped ones are a few kilobytes).
    public static let maximumFileBytes = 1 << 20

    /// Loads the version directory `directory` (one holding system.md, user.md, answer.schema.json).
    public static func load(directory: String) throws -> PromptTemplate {
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        func read(_ name: String) throws -> Data {
            let path = url.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else { throw PromptError.missingFile(path: path) }
            do { return try RegularFile.contents(path, maxBytes: Self.maximumFileBytes) } catch let error as MappedFileError {
                throw PromptError.unreadable(path: path, reason: error.reason)
            }
        }
        let schema = try read(schemaFile)
        do {
            // A schema with slots (v2) is checked as it will be sent, filled with sample values.
            let sample = try Self.fill(String(decoding: schema, as: UTF8.self), Self.sampleSchemaValues, file: schemaFile)
            guard try JSONSerialization.jsonObject(with: Data(sample.utf8)) is [String: Any] else {
                throw PromptError.invalidSchema(path: url.appendingPathComponent(schemaFile).path, reason: "not an object")
            }
        } catch let error as PromptError {
            throw error
        } catch {
            throw PromptError.invalidSchema(path: url.appendingPathComponent(schemaFile).path, reason: error.localizedDescription)
        }
        return PromptTemplate(version: url.lastPathComponent, directory: url.path,
                              system: String(decoding: try read(systemFile), as: UTF8.self),
                              user: String(decoding: try read(userFile), as: UTF8.self), schema: schema)
    }

    /// Where prompts are looked for: `option` (from --prompts), else $MEMOIR_PROMPTS_DIR, else $MEMOIR_HOME/prompts
    /// (where Scripts/setup.sh installs them), never the working directory. It may be the directory of versions
    /// or a version directory itself.
    public static func searchDirectory(option: String? = nil,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let option, !option.isEmpty { return option }
        if let variable = environment["MEMOIR_PROMPTS_DIR"], !variable.isEmpty { return variable }
        return ModelDirectory.memoirHome(environment) + "/prompts"
    }

    /// The version directory of `version` in `searchDirectory(option:environment:)`, or that directory itself when
    /// it is a version directory.
    public static func resolveDirectory(option: String? = nil, version: String = "v1",
                                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let base = searchDirectory(option: option, environment: environment)
        let candidates = [base, URL(fileURLWithPath: base).appendingPathComponent(version).path]
        for candidate in candidates.reversed()
        where FileManager.default.fileExists(atPath: URL(fileURLWithPath: candidate).appendingPathComponent(systemFile).path) {
            return candidate
        }
        throw PromptError.directoryNotFound(searched: candidates.reversed())
    }

    /// Placeholder names used by the system and user templates.
    public var placeholders: Set<String> {
        Set(Self.placeholders(in: system).map(\.name) + Self.placeholders(in: user).map(\.name))
    }

    /// `response_format` for the request: the answer schema by name.
    public var responseFormat: ResponseFormat { .jsonSchema(name: "memoir_answer", schema: schema) }

    /// The system and user messages with every placeholder replaced. Values are inserted
    /// verbatim, never re-scanned, so `{{` inside a caption stays text.
    public func render(_ values: [String: String]) throws -> [ChatMessage] {
        let unused = Set(values.keys).subtracting(placeholders)
        if !unused.isEmpty { throw PromptError.unknownPlaceholders(unused.sorted(), version: version) }
        return [.system(try Self.fill(system, values, file: Self.systemFile)),
                .user(try Self.fill(user, values, file: Self.userFile))]
    }

    /// The v1 slots filled from typed values.
    public func messages(question: String, caseDescription: String, retrievedCases: [RetrievedCase]) throws -> [ChatMessage] {
        try render(["question": question, "case_description": caseDescription,
                    "retrieved_cases": RetrievedCase.promptBlock(retrievedCases)])
    }

    private static let pattern = try! NSRegularExpression(pattern: #"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}"#)

    private static func placeholders(in text: String) -> [(name: String, range: Range<String.Index>)] {
        pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard let whole = Range(match.range, in: text), let name = Range(match.range(at: 1), in: text) else { return nil }
            return (String(text[name]), whole)
        }
    }

    static func fill(_ template: String, _ values: [String: String], file: String) throws -> String {
        var output = ""
        var cursor = template.startIndex
        for (name, range) in placeholders(in: template) {
            guard let value = values[name] else { throw PromptError.missingValue(placeholder: name, file: file) }
            output += template[cursor..<range.lowerBound]
            output += value
            cursor = range.upperBound
        }
        output += template[cursor...]
        return output
    }
}
