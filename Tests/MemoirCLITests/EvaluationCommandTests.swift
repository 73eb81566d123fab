import Foundation
import Testing
import TestSupport

/// `memoir bertscore` and `memoir qa` through the real executable.
@Suite struct EvaluationCommandTests {
    static func write(_ text: String, _ name: String, in dir: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(.tags(.miniLM), .needsMiniLM)
    func bertscoreJSONLinesAndSummary() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        // CRLF line ends and a missing final newline are accepted.
        let c = try Self.write("The diagnosis is MCI.\nMMSE 24/30.\nCarries one APOE e4 allele.\n", "c.txt", in: dir)
        let r = try Self.write("Diagnosis: MCI.\r\nMMSE is 24 of 30.\r\nCarries one APOE ε4 allele (ε3/ε4).", "r.txt", in: dir)
        let run = try CommandRunner.run(["bertscore", "--candidate-file", c, "--reference-file", r, "--idf", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        try #require(run.lines.count == 4)
        let objects = try run.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let f1s = objects.prefix(3).compactMap { $0["f1"] as? Double }
        #expect(f1s.count == 3 && f1s.allSatisfy { $0 > 0.5 && $0 <= 1 })
        let summary = try #require(objects[3]["summary"] as? [String: Any])
        #expect(summary["hash"] as? String == "all-MiniLM-L6-v2_L5_idf_version=0.3.12(memoir-swift=1)")
        #expect(summary["pairs"] as? Int == 3)
        #expect(abs((summary["f1"] as? Double ?? 0) - f1s.reduce(0, +) / 3) < 1e-12)
    }

    @Test(.tags(.miniLM), .needsMiniLM)
    func bertscoreWithoutIdfEqualsThePackagePerPair() throws {
        // Without idf each pair's score does not depend on the others, so a subset reproduces the goldens.
        let folder = try TemporaryFolder(), dir = folder.path
        let golden = try #require(try Fixtures.json("bertscore/goldens.json") as? [String: Any])
        let pairs = Array(try #require(golden["pairs"] as? [[String: Any]]).prefix(5))
        let setting = try #require((golden["configs"] as? [[String: Any]])?.first { $0["layer"] as? Int == 5 && $0["idf"] as? Bool == false })
        let expected = try #require(setting["F"] as? [Double])
        let c = try Self.write(pairs.map { $0["candidate"] as! String }.joined(separator: "\n"), "c.txt", in: dir)
        let r = try Self.write(pairs.map { $0["reference"] as! String }.joined(separator: "\n"), "r.txt", in: dir)
        let run = try CommandRunner.run(["bertscore", "--candidate-file", c, "--reference-file", r, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        for (i, line) in run.lines.prefix(5).enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["line"] as? Int == i + 1)
            #expect(abs((object["f1"] as? Double ?? -1) - expected[i]) < 1e-4)
        }
    }

    @Test func bertscoreBadInputNamesTheLine() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        let c = try Self.write("one\ntwo\nthree\n", "c.txt", in: dir)
        let r = try Self.write("one\ntwo\n", "r.txt", in: dir)
        let mismatch = try CommandRunner.run(["bertscore", "--candidate-file", c, "--reference-file", r])
        #expect(mismatch.status != 0)
        #expect(mismatch.stderr.contains("has 3 lines but") && mismatch.stderr.contains("line 3 of \(c)"))
        let blank = try Self.write("one\n  \nthree\n", "blank.txt", in: dir)
        let empty = try CommandRunner.run(["bertscore", "--candidate-file", c, "--reference-file", blank])
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("\(blank):2: empty line"))
        #expect(mismatch.stdout.isEmpty && empty.stdout.isEmpty)
    }

    @Test func qaBuildThenCheck() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        let db = dir + "/store.sqlite", out = dir + "/qa/test.jsonl"
        let ingest = try CommandRunner.run(["ingest", Fixtures.path("cohort/cohort.csv"), "--db", db])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        // As Fixtures/qa/README.md makes the committed sample: the golden encoder, clinical inputs, no rerank.
        let encoder = Fixtures.path("encoder/model"), index = dir + "/store.index"
        let indexed = try CommandRunner.run(["index", "--db", db, "--index", index, "--encoder", encoder, "--modalities", "clinical"])
        #expect(indexed.status == 0, "\(indexed.stderr)")
        let build = try CommandRunner.run(["qa", "build", "--db", db, "--index", index, "--encoder", encoder, "--modalities", "clinical",
                                           "--no-rerank", "--split", "test", "--seed", "1", "--out", out, "--json"])
        #expect(build.status == 0, "\(build.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(build.stdout.utf8)) as? [String: Any])
        #expect(summary["questions"] as? Int == 15 && summary["subjects"] as? Int == 3)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: Fixtures.path("qa/sample.jsonl"))))
        let check = try CommandRunner.run(["qa", "check", out, "--db", db])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        // A bad line and an unknown case are reported by line, with a non-zero exit.
        var lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: "941_S_", with: "999_S_")
        lines.insert(#"{"id":"x"}"#, at: 5)
        try (lines.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        let bad = try CommandRunner.run(["qa", "check", out, "--db", db, "--json"])
        #expect(bad.status != 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any])
        #expect(report["bad_lines"] as? Int == 2 && report["questions"] as? Int == 14)
        let problems = try #require(report["problems"] as? [[String: Any]])
        #expect(problems.map { $0["line"] as? Int } == [3, 6])
        #expect((problems[0]["reason"] as? String)?.contains("unknown case id '999_S_") == true)
        #expect(problems[1]["reason"] as? String == "missing field 'case_id'")
    }

    @Test func qaBuildOnAMissingStoreIsAClearError() throws {
        let r = try CommandRunner.run(["qa", "build", "--db", "/nonexistent/store.sqlite"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("/nonexistent/store.sqlite"))
    }

    @Test func newCommandsHaveHelp() throws {
        for command in [["bertscore"], ["qa"], ["qa", "build"], ["qa", "check"]] {
            let r = try CommandRunner.run(command + ["--help"])
            #expect(r.status == 0 && r.stdout.contains("USAGE"), "\(command)")
        }
    }
}
