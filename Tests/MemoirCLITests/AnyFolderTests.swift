import Answering
import Foundation
import Testing
import TestSupport

/// The README's commands, run as a new user would: from an empty folder elsewhere on the machine, with
/// relative paths, nothing but the installed binary, $MEMOIR_HOME and the launcher.
@Suite(.serialized) struct AnyFolderTests {
    /// `memoir arguments` run in `folder`; a non-zero exit fails the test.
    @discardableResult
    static func memoir(_ arguments: [String], in folder: TemporaryFolder, environment: [String: String] = [:]) throws -> CommandRunner.Result {
        let r = try CommandRunner.run(arguments, environment: environment, currentDirectory: folder.path)
        #expect(r.status == 0, "memoir \(arguments.joined(separator: " ")): \(r.stderr)")
        return r
    }

    /// synth → ingest → encode → index in `folder` with relative paths and every default (encoder from
    /// $MEMOIR_HOME, index beside the store); the id of a test-split case.
    static func buildStore(in folder: TemporaryFolder) throws -> String {
        try memoir(["synth", "--out", "cohort", "--subjects", "30", "--seed", "11", "--no-images"], in: folder)
        try memoir(["ingest", "cohort/cohort.csv", "--db", "memoir.sqlite"], in: folder)
        #expect(FileManager.default.fileExists(atPath: folder.file("memoir.sqlite")))
        try memoir(["encode", "--db", "memoir.sqlite"], in: folder)
        try memoir(["index", "--db", "memoir.sqlite"], in: folder)
        // The index lives beside its store, not under the working directory's Indexes/.
        #expect(FileManager.default.fileExists(atPath: folder.file("memoir.index/manifest.json")))
        let list = try memoir(["case", "list", "--db", "memoir.sqlite", "--split", "test", "--json"], in: folder)
        return try #require(list.lines.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }?["id"] as? String)
    }

    static func nothingWrittenBesideTheStore(_ folder: TemporaryFolder) {
        #expect(!FileManager.default.fileExists(atPath: folder.file("Indexes")) && !FileManager.default.fileExists(atPath: folder.file("Prompts")))
    }

    /// Needs neither all-MiniLM-L6-v2 nor the LLM (only the fused encoder Scripts/setup.sh installs), so the
    /// fast unit-only path runs it.
    @Test func theStoreCommandsWorkFromAnEmptyFolderWithRelativePaths() throws {
        let folder = try TemporaryFolder()
        let caseID = try Self.buildStore(in: folder)
        let retrieved = try Self.memoir(["retrieve", "--db", "memoir.sqlite", "--case", caseID, "-k", "3", "--json"], in: folder)
        let output = try #require(try JSONSerialization.jsonObject(with: Data(retrieved.stdout.utf8)) as? [String: Any], "\(retrieved.stdout)")
        let neighbours = try #require(output["neighbours"] as? [[String: Any]])
        let ids = neighbours.compactMap { $0["subject_id"] as? String }
        #expect(ids.count == 3 && !ids.contains(caseID), "\(neighbours)")
        #expect((output["index"] as? String)?.hasSuffix("/memoir.index") == true, "\(output)")
        Self.nothingWrittenBesideTheStore(folder)
    }

    @Test(.tags(.localLLM, .miniLM), .needsLocalLLM, .needsMiniLM)
    func askWorksFromAnEmptyFolderWithTheLauncherStartedThere() throws {
        let folder = try TemporaryFolder()
        let caseID = try Self.buildStore(in: folder)
        // The launcher, started from this folder when no server runs yet, leaves its URL and key where `ask` finds them.
        let server = try LocalServer.acquire(currentDirectory: folder.path)
        defer { server.release() }
        let status = try LocalServer.launcher(["url"], currentDirectory: folder.path)
        #expect(status.status == 0 || ProcessInfo.processInfo.environment["MEMOIR_LLM_URL"] != nil, "\(status.stderr)")
        // No --llm, --prompts or --index: the endpoint, key, prompts and index are all found without the working directory.
        let ask = try CommandRunner.run(["ask", "--db", "memoir.sqlite", "--case", caseID, "--json", "--temperature", "0",
                                         "What is the most likely diagnosis for this subject?"],
                                        environment: server.apiKey.map { ["MEMOIR_LLM_API_KEY": $0] } ?? [:], currentDirectory: folder.path)
        // The model's words are not asserted: that it answered and was judged, or failed and said why, is.
        if ask.status == 0 {
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(ask.stdout.utf8)) as? [String: Any], "\(ask.stderr)")
            #expect(answer["case_id"] as? String == caseID && answer["prompt_version"] as? String == PromptTemplate.currentVersion)
            let verdict = try #require(answer["verdict"] as? [String: Any])
            #expect(["grounded", "unsupported", "truncated", "degenerate"].contains(verdict["status"] as? String ?? ""), "\(verdict)")
        } else {
            // No usable reply even after the repair round (a small model): a clear error, never an answer.
            #expect(ask.stderr.contains("not a usable answer") && ask.stdout.isEmpty, "\(ask.stderr)")
        }
        let logged = try Self.memoir(["case", "show", caseID, "--db", "memoir.sqlite"], in: folder)
        #expect(logged.stdout.contains(caseID))
        Self.nothingWrittenBesideTheStore(folder)
    }
}
