import Cohort
import Answering
import Foundation
import Store
import Testing
import TestSupport

/// The main job through the real executable: synth → ingest → encode → index → ask, against the real
/// local LLM (SmolLM2 via llama.cpp) and the shipped encoder and reranker. Asserts structure, not wording.
@Suite(.serialized) struct AskCommandTests {
    static let encoder = Fixtures.repositoryRoot + "/Models/fused-encoder-w16"
    static let reranker = Fixtures.repositoryRoot + "/Models/reranker-minilm-adni"

    /// A 30-subject cohort, encoded and indexed. Clinical data only (`synth --no-images`): the debug build
    /// would spend minutes in the ResNets, which FusedEncoderTests and the demo cover.
    struct Library {
        /// Removed when the last copy of the library goes.
        let folder: TemporaryFolder
        var dir: String { folder.path }
        let db: String, index: String
        let testIDs: [String], trainIDs: [String]
    }

    static func makeLibrary(seed: Int = 5) throws -> Library {
        let folder = try TemporaryFolder(), dir = folder.path
        let db = dir + "/m.sqlite", index = dir + "/index"
        for step in [["synth", "--subjects", "30", "--seed", "\(seed)", "--no-images", "--out", dir + "/cohort"],
                     ["ingest", dir + "/cohort/cohort.csv", "--db", db],
                     ["encode", "--db", db, "--encoder", encoder],
                     ["index", "--db", db, "--index", index, "--encoder", encoder]] {
            let r = try CommandRunner.run(step)
            guard r.status == 0 else { throw LaunchFailure(step: step.joined(separator: " "), stderr: r.stderr) }
        }
        let store = try CaseStore(path: db)
        return Library(folder: folder, db: db, index: index, testIDs: try store.subjectIDs(split: .test), trainIDs: try store.subjectIDs(split: .train))
    }

    struct LaunchFailure: Error { let step: String, stderr: String }

    @Test(.tags(.localLLM, .miniLM), .needsLocalLLM, .needsMiniLM)
    func askAnswersFromTheRetrievedSubjectsAndLogsIt() throws {
        let library = try Self.makeLibrary()
        let server = try LocalServer.acquire()
        defer { server.release() }
        let caseID = try #require(library.testIDs.first)
        let ask = try CommandRunner.run(["ask", "--db", library.db, "--index", library.index, "--encoder", Self.encoder,
                                         "--rerank", "--reranker", Self.reranker, "--llm", server.url, "--case", caseID, "--json",
                                         "--temperature", "0", "What is the most likely diagnosis for this subject?"],
                                        environment: server.apiKey.map { ["MEMOIR_LLM_API_KEY": $0] } ?? [:])
        // A real small model: what it says is not asserted, only that a verdict is computed and recorded.
        let logged = try #require(try CaseStore(path: library.db).asks().first)
        #expect(logged.caseID == caseID && logged.promptVersion == PromptTemplate.currentVersion && logged.questionKind == "diagnosis")
        #expect(logged.evidence?.contains("\"neighbours\"") == true)
        guard ask.status == 0 else {
            // No usable reply even after the repair round: exit non-zero, logged failed with the reason.
            #expect(logged.status == "failed" && logged.error != nil && ask.stderr.contains("not a usable answer"), "\(ask.stderr)")
            return
        }
        let out = try #require(try JSONSerialization.jsonObject(with: Data(ask.stdout.utf8)) as? [String: Any])
        let verdict = try #require(out["verdict"] as? [String: Any])
        let status = try #require(verdict["status"] as? String)
        #expect(["grounded", "unsupported", "truncated", "degenerate"].contains(status))
        #expect(logged.verdict == status && logged.status == (status == "grounded" ? "answered" : "unverified"))
        #expect(out["evidence"] is [String: Any] && out["time_to_first_token"] is Double && out["prompt_tokens"] is Int)
        let retrieved = (out["retrieved"] as? [[String: Any]] ?? []).compactMap { $0["subject_id"] as? String }
        let reranked = (out["reranked"] as? [[String: Any]] ?? []).compactMap { $0["subject_id"] as? String }
        let context = (out["context"] as? [[String: Any]] ?? []).compactMap { $0["subject_id"] as? String }
        let cited = out["cited_subject_ids"] as? [String] ?? []
        #expect(Set(retrieved) == Set(library.trainIDs) && !retrieved.contains(caseID))
        #expect(Set(reranked) == Set(retrieved) && context == Array(reranked.prefix(5)))
        #expect(Set(cited).isSubset(of: Set(context)))
        let timings = try #require(out["timings"] as? [String: Any])
        for stage in ["embed", "search", "rerank", "evidence", "prompt", "llm", "before_llm"] { #expect(timings[stage] is Double, "\(stage)") }
        #expect(out["prompt_version"] as? String == PromptTemplate.currentVersion)
        #expect(logged.diagnosis == out["diagnosis"] as? String)
    }

    @Test func badQuestionsUnknownCasesAndAForeignIndexFailClearly() throws {
        let library = try Self.makeLibrary()
        let caseID = try #require(library.testIDs.first)
        func ask(_ question: String, caseID: String = caseID, db: String = library.db) throws -> CommandRunner.Result {
            // A closed port: none of these may get as far as the LLM.
            try CommandRunner.run(["ask", "--db", db, "--index", library.index, "--encoder", Self.encoder,
                                   "--llm", "http://127.0.0.1:9", "--case", caseID, question])
        }
        let empty = try ask("   ")
        #expect(empty.status != 0 && empty.stderr.contains("the question is empty"))
        let huge = try ask(String(repeating: "a", count: 100_000))
        #expect(huge.status != 0 && huge.stderr.contains("100000 bytes"))
        let unknown = try ask("Diagnosis?", caseID: "000_S_0000")
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown case id '000_S_0000'"))
        let down = try ask("Diagnosis?")
        #expect(down.status != 0 && down.stderr.contains("127.0.0.1:9"))

        let other = try Self.makeLibrary(seed: 6)
        let foreign = try CommandRunner.run(["retrieve", "--db", other.db, "--index", library.index, "--encoder", Self.encoder,
                                             "--case", try #require(other.testIDs.first)])
        #expect(foreign.status != 0 && foreign.stderr.contains("training case(s) missing from the index"))
        #expect(try CaseStore(path: library.db).askCount(status: "answered") == 0)
    }
}
