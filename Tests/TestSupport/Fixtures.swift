import Foundation
import TextModels

/// Paths to committed fixtures and installed models, for tests.
public enum Fixtures {
    /// The repository root (three levels above this file: Tests/TestSupport/Fixtures.swift).
    public static let repositoryRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    public static func path(_ relative: String) -> String { repositoryRoot + "/Fixtures/" + relative }

    public static func json(_ relative: String) throws -> Any {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
        return try JSONSerialization.jsonObject(with: data)
    }

    /// The all-MiniLM-L6-v2 directory, or nil when it is not installed (Scripts/setup.sh).
    public static var miniLMDirectory: String? { try? ModelLocator.sentenceModelDirectory() }

    /// A fresh temporary directory, removed by the caller.
    public static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "memoir-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
