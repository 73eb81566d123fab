import Foundation

/// The JSON contract of the CLI's `--json` and the HTTP API: snake_case keys. camelCase property names are
/// converted; keys without a lower-to-upper step (diagnoses such as "CN", case ids, modality keys) are data
/// and stay as they are.
public enum SnakeCaseJSON {
    public static func encoder(_ formatting: JSONEncoder.OutputFormatting = [.sortedKeys, .withoutEscapingSlashes]) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .custom { path in Key(snakeCase(path.last?.stringValue ?? "")) }
        encoder.outputFormatting = formatting
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// "subjectID" → "subject_id", "casesPerSecond" → "cases_per_second", "llmURL" → "llm_url"; "CN" stays "CN".
    public static func snakeCase(_ key: String) -> String {
        let chars = Array(key)
        guard zip(chars, chars.dropFirst()).contains(where: { $0.isLowercase && $1.isUppercase }) else { return key }
        var out = ""
        for (i, c) in chars.enumerated() {
            if c.isUppercase, i > 0 {
                let previous = chars[i - 1], next = i + 1 < chars.count ? chars[i + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && (next?.isLowercase ?? false)) { out.append("_") }
            }
            out.append(contentsOf: c.lowercased())
        }
        return out
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
