import Foundation

/// Writes one compact JSON object per line on standard output, for scripting. Keys are snake_case in every
/// command: camelCase property names are converted; keys without a lower-to-upper step (diagnoses such as
/// "CN", case ids, modality keys) are data and stay as they are.
enum JSONLines {
    static func emit<T: Encodable>(_ value: T) throws {
        var data = try encoder.encode(value)
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .custom { path in SnakeCaseKey(snakeCase(path.last?.stringValue ?? "")) }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// "subjectID" → "subject_id", "casesPerSecond" → "cases_per_second", "llmURL" → "llm_url"; "CN" stays "CN".
    static func snakeCase(_ key: String) -> String {
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

    private struct SnakeCaseKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
