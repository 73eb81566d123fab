import FusedEncoder
import Foundation
import Numerics
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
        // With the default wait, it says so on stderr, then runs once the holder is done.
        let waited = Locked<CommandRunner.Result?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            waited.withLock { $0 = try? CommandRunner.run(encode) }
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: 1.5)
        holder.release()
        done.wait()
        let second = try #require(waited.current)
        #expect(second.status == 0 && second.stderr.contains("is writing to \(db); waiting up to"), "\(second.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        #expect(report["encoded"] as? Int == 30)
        // The work is not repeated.
        let again = try CommandRunner.run(encode)
        let repeated = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(repeated["encoded"] as? Int == 0 && repeated["already_cached"] as? Int == 30)
    }
}
