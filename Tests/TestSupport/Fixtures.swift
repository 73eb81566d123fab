import Foundation
import Numerics
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

    /// A fresh temporary directory, removed when the test process exits (or earlier by the caller).
    /// Prefer `TemporaryFolder`, which goes when the test that made it ends.
    public static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "memoir-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        madeFolders.withLock { folders in
            if folders.isEmpty { atexit { Fixtures.removeMadeFolders() } }
            folders.append(path)
        }
        return path
    }

    /// Folders `temporaryDirectory()` made in this process.
    private static let madeFolders = Locked<[String]>([])

    private static func removeMadeFolders() {
        for path in madeFolders.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
    }
}
