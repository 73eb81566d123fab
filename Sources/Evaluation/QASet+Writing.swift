import Foundation

extension QASet {
    /// The JSONL text of `items`: one object per line, keys sorted, `expected_diagnosis` only
    /// where set.
    public static func jsonLines(_ items: [QAItem]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for item in items {
            data.append(try encoder.encode(item))
            data.append(0x0A)
        }
        return data
    }

    /// Writes `items` to `path` atomically (a temporary file renamed into place), so a failed
    /// write never leaves a partial QA file.
    public static func write(_ items: [QAItem], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try jsonLines(items).write(to: url, options: .atomic)
    }
}
