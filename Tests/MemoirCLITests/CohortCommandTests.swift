import Foundation
import Testing
import TestSupport

/// End-to-end runs of synth → ingest → case through the real executable.
@Suite struct CohortCommandTests {
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    @Test func synthIngestAndShowACase() throws {
        let synth = try CommandRunner.run(["synth", "--subjects", "6", "--seed", "3", "--out", dir + "/cohort", "--json"])
        #expect(synth.status == 0, "\(synth.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(synth.stdout.utf8)) as? [String: Any])
        #expect(summary["subjects"] as? Int == 6)
        let ingest = try CommandRunner.run(["ingest", dir + "/cohort/cohort.csv", "--db", dir + "/m.sqlite", "--json"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let ids = try CommandRunner.run(["case", "list", "--db", dir + "/m.sqlite"]).lines
        #expect(ids.count == 6)
        let show = try CommandRunner.run(["case", "show", ids[0], "--db", dir + "/m.sqlite", "--json"])
        #expect(show.status == 0, "\(show.stderr)")
        let c = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let caption = try #require(c["caption"] as? String)
        #expect(caption.contains("T1 MRI brain parenchymal fraction is 0."))
    }

    @Test func unknownCaseAndMissingStoreExitNonZero() throws {
        let missing = try CommandRunner.run(["case", "show", "X", "--db", dir + "/none.sqlite"])
        #expect(missing.status != 0 && missing.stderr.contains("none.sqlite") && missing.stderr.contains("memoir ingest"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/none.sqlite"))
        _ = try CommandRunner.run(["ingest", Fixtures.path("cohort/cohort.csv"), "--db", dir + "/m.sqlite"])
        let unknown = try CommandRunner.run(["case", "show", "999_S_9999", "--db", dir + "/m.sqlite"])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown case id '999_S_9999'"))
    }

    @Test func badCSVExitsNonZeroNamingRowAndField() throws {
        let csv = dir + "/bad.csv"
        try """
        PTID,DX,AGE,PTGENDER,PTEDUCAT,MMSE,CDRSB,ADAS11,ADAS13,MOCA,APOE_GENOTYPE,T1_PATH,FA_PATH
        S1,CN,70,F,16,29,0,5,8,27,3/3,,
        S2,MCI,70,F,16,29,19,5,8,27,3/4,,
        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try CommandRunner.run(["ingest", csv, "--db", dir + "/m.sqlite"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("bad.csv: row 3, field CDRSB"), "\(r.stderr)")
    }

    /// Kills an ingest part-way, several times at different moments: the store must hold either the old
    /// state or the new one, never a mix, and a re-run must complete.
    @Test func killedIngestLeavesNoPartialWrites() throws {
        // 240 rows pointing at the fixture volumes: slow enough to be killed in flight.
        let fixture = try String(contentsOfFile: Fixtures.path("cohort/cohort.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        var lines = [fixture[0]]
        for n in 0..<240 {
            var fields = fixture[1 + n % 6].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[0] = String(format: "900_S_%04d", n)
            for c in [11, 12] where !fields[c].isEmpty { fields[c] = Fixtures.path("cohort/" + fields[c]) }
            lines.append(fields.joined(separator: ","))
        }
        let csv = dir + "/big.csv"
        try lines.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let db = dir + "/m.sqlite"
        #expect(try CommandRunner.run(["ingest", Fixtures.path("cohort/cohort.csv"), "--db", db]).status == 0)
        for delay in [0.3, 1.0, 2.5] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CommandRunner.executable)
            p.arguments = ["ingest", csv, "--db", db]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let count = try CommandRunner.run(["case", "list", "--db", db]).lines.count
            #expect(count == 6 || count == 240, "after a kill at \(delay) s the store holds \(count) cases")
        }
        let rerun = try CommandRunner.run(["ingest", csv, "--db", db])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try CommandRunner.run(["case", "list", "--db", db]).lines.count == 240)
    }
}
