import Foundation
import Testing
import TestSupport

/// The README's commands, run as a new user would: from an empty folder elsewhere on the machine, with
/// relative paths, nothing but the installed binary, $MEMOIR_HOME and the launcher.
@Suite(.serialized) struct AnyFolderTests {
    @Test(.tags(.localLLM, .miniLM), .needsLocalLLM, .needsMiniLM)
    func theMainJobWorksFromAnEmptyFolderWithRelativePaths() throws {
        let folder = try TemporaryFolder()
        func memoir(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandRunner.Result {
            let r = try CommandRunner.run(arguments, environment: environment, currentDirectory: folder.path)
            #expect(r.status == 0, "memoir \(arguments.joined(separator: " ")): \(r.stderr)")
            return r
        }
        _ = try memoir(["synth", "--out", "cohort", "--subjects", "30", "--seed", "11", "--no-images"])
        _ = try memoir(["ingest", "cohort/cohort.csv", "--db", "memoir.sqlite"])
        #expect(FileManager.default.fileExists(atPath: folder.file("memoir.sqlite")))
        _ = try memoir(["encode", "--db", "memoir.sqlite"])
        _ = try memoir(["index", "--db", "memoir.sqlite"])
        // The index lives beside its store, not under the working directory's Indexes/.
        #expect(FileManager.default.fileExists(atPath: folder.file("memoir.index/manifest.json")))
        let list = try memoir(["case", "list", "--db", "memoir.sqlite", "--split", "test", "--json"])
        let caseID = try #require(list.lines.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }?["id"] as? String)
        let retrieved = try memoir(["retrieve", "--db", "memoir.sqlite", "--case", caseID, "-k", "3", "--json"])
        #expect(retrieved.stdout.contains("\"subject_id\""))

        // The launcher, started from this folder, leaves its URL and key where `ask` finds them.
        let server = try LocalServer.acquire()
        defer { server.release() }
        let status = try LocalServer.launcher(["url"], currentDirectory: folder.path)
        #expect(status.status == 0 || ProcessInfo.processInfo.environment["MEMOIR_LLM_URL"] != nil, "\(status.stderr)")
        let ask = try CommandRunner.run(["ask", "--db", "memoir.sqlite", "--case", caseID, "--json",
                                         "What is the most likely diagnosis for this subject?"],
                                        environment: server.apiKey.map { ["MEMOIR_LLM_API_KEY": $0] } ?? [:], currentDirectory: folder.path)
        // The model's words are not asserted: the endpoint, key, prompts and index were found, and the ask logged.
        #expect(!ask.stderr.contains("no LLM endpoint") && !ask.stderr.contains("no prompt templates") && !ask.stderr.contains("401"), "\(ask.stderr)")
        let logged = try CommandRunner.run(["case", "show", caseID, "--db", "memoir.sqlite"], currentDirectory: folder.path)
        #expect(logged.status == 0)
        if ask.status == 0 {
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(ask.stdout.utf8)) as? [String: Any], "\(ask.stderr)")
            #expect(answer["case_id"] as? String == caseID && answer["prompt_version"] as? String == "v2" && answer["verdict"] != nil)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("Indexes")) && !FileManager.default.fileExists(atPath: folder.file("Prompts")))
    }
}
