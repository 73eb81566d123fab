import Application
import Foundation
import Testing
import TestSupport

/// `memoir --version` finds prompts where `ask` does: `PromptTemplate.resolveDirectory`'s order
/// ($MEMOIR_PROMPTS_DIR, then $MEMOIR_HOME/prompts), never the working directory.
@Suite struct VersionReportTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    func version(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try "system".write(toFile: path + "/system.md", atomically: true, encoding: .utf8)
    }

    func promptsLine(_ environment: [String: String]) throws -> String {
        try #require(VersionReport.text(environment: environment).split(separator: "\n").first { $0.hasPrefix("prompts ") }.map(String.init))
    }

    @Test func promptsResolveFromTheEnvironmentThenMemoirHome() throws {
        let home = folder.file("home"), custom = folder.file("custom")
        try version(home + "/prompts/v2")
        try version(custom + "/v1")
        try version(custom + "/v3")
        try FileManager.default.createDirectory(atPath: custom + "/notes", withIntermediateDirectories: true)
        #expect(try promptsLine(["MEMOIR_HOME": home]) == "prompts v2 in \(home)/prompts")
        #expect(try promptsLine(["MEMOIR_HOME": home, "MEMOIR_PROMPTS_DIR": custom]) == "prompts v1, v3 in \(custom)")
        // $MEMOIR_PROMPTS_DIR may name a version directory itself.
        #expect(try promptsLine(["MEMOIR_HOME": home, "MEMOIR_PROMPTS_DIR": custom + "/v3"]) == "prompts v3 in \(custom)/v3")
        #expect(try promptsLine(["MEMOIR_HOME": folder.file("empty")]) == "prompts none found in \(folder.file("empty"))/prompts")
    }
}
