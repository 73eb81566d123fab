import Foundation
import Testing
import TestSupport

/// End-to-end runs of the text commands through the real executable.
@Suite(.tags(.miniLM), .needsMiniLM)
struct TextCommandTests {
    @Test func embedJSONLinesHaveUnitVectors() throws {
        let r = try CommandRunner.run(["embed", "--json", "MMSE is 24.", "Carries one APOE ε4 allele."])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(r.lines[0].utf8)) as? [String: Any])
        #expect(first["text"] as? String == "MMSE is 24.")
        let vector = try #require(first["embedding"] as? [Double])
        #expect(vector.count == 384)
        #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
    }

    @Test func embedReadsStandardInput() throws {
        let r = try CommandRunner.run(["embed", "--json", "--input", "-"], stdin: "one\ntwo\nthree\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.count == 3)
    }

    @Test func tokenizeMatchesBertConventions() throws {
        let r = try CommandRunner.run(["tokenize", "--json", "Café naïve 中文 Hello!!"])
        #expect(r.status == 0, "\(r.stderr)")
        let line = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(line["tokens"] as? [String] == ["[CLS]", "cafe", "naive", "中", "文", "hello", "!", "!", "[SEP]"])
        #expect((line["ids"] as? [Int])?.first == 101)
    }

    @Test func missingModelDirectoryIsAClearError() throws {
        let r = try CommandRunner.run(["embed", "--text-model", "/nonexistent/model", "hello"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("/nonexistent/model") && r.stderr.contains("Scripts/setup.sh"))
        #expect(r.stdout.isEmpty)
    }

    @Test func missingModelFileNamesTheFile() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        let source = try #require(Fixtures.miniLMDirectory)
        for file in ["config.json", "vocab.txt"] {
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: dir + "/" + file)
        }
        let r = try CommandRunner.run(["embed", "--text-model", dir, "hello"])
        #expect(r.status != 0)
        #expect(r.stderr.contains(dir + "/model.safetensors"))
    }

    @Test func noTextsIsAUsageError() throws {
        let r = try CommandRunner.run(["embed"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("No texts given"))
    }

    @Test func everyCommandHasHelp() throws {
        for command in [[], ["embed"], ["tokenize"], ["rerank"]] {
            let r = try CommandRunner.run(command + ["--help"])
            #expect(r.status == 0)
            #expect(r.stdout.contains("USAGE"))
        }
    }
}

/// One meaning per flag name: renamed options are refused with the new spelling, not silently reinterpreted.
@Suite struct RenamedOptionTests {
    @Test func oldSpellingsAreRefusedWithTheirNewNames() throws {
        for (arguments, hint) in [(["embed", "--model", "/x", "hi"], "--text-model"),
                                  (["tokenize", "--model", "/x", "hi"], "--text-model"),
                                  (["rerank", "--model", "/x", "--query", "q", "p"], "--reranker"),
                                  (["ask", "--model", "m", "--case", "c", "q"], "--llm-model"),
                                  (["encode", "--subsets", "all"], "--modalities"),
                                  (["eval", "vqa", "--qa", "x", "--model", "m"], "--llm-model"),
                                  // --candidates is a number of neighbours (ask, eval retrieval); --report a folder (eval vqa).
                                  (["bertscore", "--candidates", "c.txt", "--references", "r.txt"], "--candidate-file"),
                                  (["bertscore", "--candidates", "c.txt"], "--candidate-file"),
                                  (["bertscore", "--candidate-file", "c.txt", "--references", "r.txt"], "--reference-file"),
                                  (["synth", "--out", "cohort", "--report"], "--statistics"),
                                  (["synth", "--report"], "--statistics")] {
            let r = try CommandRunner.run(arguments)
            #expect(r.status != 0 && r.stderr.contains("was renamed") && r.stderr.contains(hint), "\(arguments): \(r.stderr)")
        }
    }

    /// The new spellings do what the old ones did.
    @Test func newSpellingsWork() throws {
        let folder = try TemporaryFolder()
        let synth = try CommandRunner.run(["synth", "--subjects", "30", "--no-images", "--statistics", "--out", folder.file("cohort"), "--json"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(synth.stdout.utf8)) as? [String: Any])
        #expect((summary["statistics"] as? [String: Any])?["rows"] is [Any], "\(synth.stdout)")
        // Both files are read (and checked) before any model is loaded.
        try "one\ntwo\n".write(toFile: folder.file("c.txt"), atomically: true, encoding: .utf8)
        try "one\n".write(toFile: folder.file("r.txt"), atomically: true, encoding: .utf8)
        let bertscore = try CommandRunner.run(["bertscore", "--candidate-file", folder.file("c.txt"), "--reference-file", folder.file("r.txt")])
        #expect(bertscore.status != 0 && bertscore.stderr.contains("has 2 lines but") && !bertscore.stderr.contains("was renamed"),
                "\(bertscore.stderr)")
    }

    @Test func versionNamesTheSchemaPromptsAndModels() throws {
        let r = try CommandRunner.run(["--version"])
        #expect(r.status == 0)
        for part in ["memoir ", "store schema ", "prompts ", "fused encoder ", "text model ", "reranker ", "BLAS "] {
            #expect(r.stdout.contains(part), "\(part) missing from: \(r.stdout)")
        }
    }
}
