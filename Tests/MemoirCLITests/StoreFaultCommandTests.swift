import FusedEncoder
import Foundation
import Store
import Testing
import TestSupport

/// The built `memoir` against stores that changed or are busy under it (issue #15): a stale index is refused until
/// `memoir index` runs again, a killed build's staging folders are cleaned, and a second writer waits or gives up.
@Suite(.serialized) struct StoreFaultCommandTests {
    @Test func reingestedScoresMakeTheIndexStaleUntilItIsRebuilt() throws {
        let library = try AskCommandTests.makeLibrary(seed: 7)
        let csv = library.dir + "/cohort/cohort.csv"
        var rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let ptid = try #require(rows[0].firstIndex(of: "PTID")), mmse = try #require(rows[0].firstIndex(of: "MMSE"))
        let changed = Set(library.trainIDs.prefix(5))
        for n in rows.indices.dropFirst() where changed.contains(rows[n][ptid]) { rows[n][mmse] = rows[n][mmse] == "11" ? "12" : "11" }
        try (rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let ingest = try CommandRunner.run(["ingest", csv, "--db", library.db])
        #expect(ingest.status == 0, "\(ingest.stderr)")

        let query = ["retrieve", "--db", library.db, "--index", library.index, "--encoder", AskCommandTests.encoder,
                     "--case", try #require(library.testIDs.first)]
        let stale = try CommandRunner.run(query)
        #expect(stale.status != 0)
        #expect(stale.stderr.contains("is stale") && stale.stderr.contains("5 indexed case(s) no longer have an embedding")
            && stale.stderr.contains("re-run `memoir index"), "\(stale.stderr)")

        // A build killed with -9 left its staging folders; the next build removes them.
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        for leftover in [".tmp-", ".old-"] {
            try FileManager.default.createDirectory(atPath: library.index + leftover + "\(finished.processIdentifier)", withIntermediateDirectories: true)
        }
        let rebuilt = try CommandRunner.run(["index", "--db", library.db, "--index", library.index, "--encoder", AskCommandTests.encoder])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        let siblings = try FileManager.default.contentsOfDirectory(atPath: library.dir).filter { $0.hasPrefix("index") }
        #expect(siblings == ["index"])
        let current = try CommandRunner.run(query)
        #expect(current.status == 0, "\(current.stderr)")
    }

    @Test func aSecondEncoderWaitsForTheFirstOrGivesUpClearly() throws {
        let folder = try TemporaryFolder()
        let db = folder.file("m.sqlite")
        for step in [["synth", "--subjects", "30", "--seed", "3", "--no-images", "--out", folder.file("cohort")],
                     ["ingest", folder.file("cohort/cohort.csv"), "--db", db]] {
            let r = try CommandRunner.run(step)
            #expect(r.status == 0, "\(step): \(r.stderr)")
        }
        let cache = EmbeddingCache(store: try CaseStore(path: db), encoderHash: try FusedEncoder(directory: AskCommandTests.encoder).weightsHash)
        let encode = ["encode", "--db", db, "--encoder", AskCommandTests.encoder, "--json"]
        // Another writer (this test) holds the store: a short wait ends in a clear refusal, with nothing encoded.
        let holder = try StoreWriterLock.acquire(storePath: db, purpose: "memoir index")
        let refused = try CommandRunner.run(encode, environment: ["MEMOIR_STORE_LOCK_TIMEOUT": "0.5"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("pid \(getpid()) (memoir index)") && refused.stderr.contains("still holds the writer lock"), "\(refused.stderr)")
        #expect(try cache.count() == 0)
        // With the default wait, it says so on stderr (watched here through a file), then runs once the holder is done.
        let stderrPath = folder.file("encode.stderr"), stdoutPath = folder.file("encode.stdout")
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandRunner.executable)
        child.arguments = encode
        child.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        child.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        try child.run()
        let deadline = Date().addingTimeInterval(120)
        var stderr = ""
        while !stderr.contains("waiting up to"), child.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        }
        #expect(stderr.contains("is writing to \(db); waiting up to"), "\(stderr)")
        #expect(child.isRunning) // still waiting, nothing done yet
        #expect(try cache.count() == 0)
        holder.release()
        child.waitUntilExit()
        #expect(child.terminationStatus == 0, "\(stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: stdoutPath))) as? [String: Any])
        #expect(report["encoded"] as? Int == 30)
        // The work is not repeated.
        let again = try CommandRunner.run(encode)
        let repeated = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(repeated["encoded"] as? Int == 0 && repeated["already_cached"] as? Int == 30)
    }
}
