import Foundation
import Testing
import TestSupport

/// `memoir eval vqa` against a scripted LLM: scores and report written, failures and bad QA lines counted,
/// and a re-run resumes (finished questions skipped, failed ones retried).
@Suite struct EvalVQACommandTests {
    @Test func evaluatesReportsCountsFailuresAndResumes() throws {
        let library = try AskCommandTests.makeLibrary()
        let qa = library.dir + "/qa.jsonl"
        let build = try CommandRunner.run(["qa", "build", "--db", library.db, "--index", library.index, "--encoder", AskCommandTests.encoder,
                                           "--no-rerank", "--out", qa])
        #expect(build.status == 0, "\(build.stderr)")
        // Two bad lines: a missing field and an unknown case id.
        var lines = try String(contentsOfFile: qa, encoding: .utf8).split(separator: "\n").map(String.init)
        let diagnosisLines = lines.filter { $0.contains(#""category":"diagnosis""#) }.count
        lines.append(#"{"id":"x/diagnosis","case_id":"000_S_0000","question":"Q?","reference":"R.","category":"diagnosis","expected_diagnosis":"CN","source":"record"}"#)
        lines.append(#"{"id":"y/apoe","case_id":"\#(library.testIDs[0])","question":"Q?","category":"apoe","source":"record"}"#)
        try (lines.joined(separator: "\n") + "\n").write(toFile: qa, atomically: true, encoding: .utf8)

        let good = FakeLLMServer.Reply.streamedCompletion(#"{"diagnosis": "MCI", "answer": "The scores resemble the MCI subjects.", "cited_subject_ids": []}"#, model: "scripted")
        let empty = FakeLLMServer.Reply.streamedCompletion(#"{"diagnosis": "CN", "answer": "", "cited_subject_ids": []}"#, model: "scripted")
        func evaluate(_ server: FakeLLMServer) throws -> [String: Any] {
            let r = try CommandRunner.run(["eval", "vqa", "--db", library.db, "--index", library.index, "--encoder", AskCommandTests.encoder,
                                           "--qa", qa, "--llm", server.baseURL, "--llm-model", "scripted",
                                           "--categories", "diagnosis", "--report", library.dir + "/report", "--json"],
                                          environment: ["MEMOIR_LLM_TIMEOUT": "5"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("line \(lines.count - 1):") && r.stderr.contains("000_S_0000"))
            #expect(r.stderr.contains("line \(lines.count):") && r.stderr.contains("reference"))
            return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        }

        let flaky = try FakeLLMServer([good, empty, .json(400, #"{"error":"bad request"}"#)])
        let first = try evaluate(flaky)
        flaky.stop()
        #expect(first["questions"] as? Int == diagnosisLines && first["bad_qa_lines"] as? Int == 2)
        #expect(first["asked"] as? Int == diagnosisLines && first["failed"] as? Int == diagnosisLines - 1)
        let rows = try #require(first["backbones"] as? [[String: Any]])
        #expect(rows.map { $0["backbone"] as? String } == ["evidence only (Memoir's reading)", "scripted"])
        let backbone = rows[1]
        #expect(backbone["questions"] as? Int == diagnosisLines)
        let grounded = try #require(backbone["grounded"] as? [String: Any])
        #expect(grounded["n"] as? Int == diagnosisLines && grounded["small_sample"] as? Bool == true)
        #expect((first["categories"] as? [[String: Any]])?.map { $0["category"] as? String } == ["diagnosis", "diagnosis"])
        for file in ["report.md", "report.html", "results.json"] {
            #expect(FileManager.default.fileExists(atPath: library.dir + "/report/" + file), "\(file)")
        }
        let html = try String(contentsOfFile: library.dir + "/report/report.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("scripted"))

        let steady = try FakeLLMServer([good])
        defer { steady.stop() }
        let second = try evaluate(steady)
        #expect(second["run"] as? String == first["run"] as? String)
        #expect(second["resumed"] as? Int == 1 && second["asked"] as? Int == diagnosisLines - 1 && second["failed"] as? Int == 0)
        let accuracy = try #require((second["backbones"] as? [[String: Any]])?.last?["diagnosis_accuracy"] as? Double)
        #expect(accuracy >= 0 && accuracy <= 1)
        let md = try String(contentsOfFile: library.dir + "/report/report.md", encoding: .utf8)
        #expect(md.contains("## By category") && md.contains("| evidence only (Memoir's reading) | diagnosis |") && md.contains("TTFT p50"))
    }

    @Test func everyQuestionFailingExitsNonZero() throws {
        let library = try AskCommandTests.makeLibrary()
        let qa = library.dir + "/qa.jsonl"
        let build = try CommandRunner.run(["qa", "build", "--db", library.db, "--index", library.index, "--encoder", AskCommandTests.encoder,
                                           "--no-rerank", "--out", qa])
        #expect(build.status == 0, "\(build.stderr)")
        let refusing = try FakeLLMServer([.json(400, #"{"error":"bad request"}"#)])
        defer { refusing.stop() }
        let r = try CommandRunner.run(["eval", "vqa", "--db", library.db, "--index", library.index, "--encoder", AskCommandTests.encoder,
                                       "--qa", qa, "--llm", refusing.baseURL, "--categories", "diagnosis", "--limit", "3", "--json"],
                                      environment: ["MEMOIR_LLM_TIMEOUT": "5"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("all 3 question(s) failed"), "\(r.stderr)")
        // The summary is still written, for the record.
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(summary["failed"] as? Int == 3 && summary["questions"] as? Int == 3)
    }
}
