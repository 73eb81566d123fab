import Foundation
import Testing
import TestSupport

/// End-to-end runs of the text commands through the real executable.
@Suite(.enabled(if: Fixtures.miniLMDirectory != nil, "all-MiniLM-L6-v2 not installed: run Scripts/setup.sh"))
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
        let r = try CommandRunner.run(["embed", "--model", "/nonexistent/model", "hello"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("/nonexistent/model") && r.stderr.contains("Scripts/setup.sh"))
        #expect(r.stdout.isEmpty)
    }

    @Test func missingModelFileNamesTheFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = try #require(Fixtures.miniLMDirectory)
        for file in ["config.json", "vocab.txt"] {
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: dir + "/" + file)
        }
        let r = try CommandRunner.run(["embed", "--model", dir, "hello"])
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
