import Foundation
@_spi(Testing) import Store
import Testing
import TestSupport

/// The built `memoir` against a store another tool edited and against impossible lengths (issue #15): a clear
/// error naming the row, never a trap; printed values never carry terminal escape sequences; `retrieve --text`
/// never migrates a store.
@Suite struct HostileStoreCommandTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    func ingestedStore() throws -> String {
        let db = folder.file("m.sqlite")
        let ingest = try CommandRunner.run(["ingest", Fixtures.path("cohort/cohort.csv"), "--db", db])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return db
    }

    /// A thrown error exits 1; a trap would end the process by a signal (SIGILL / SIGTRAP, 132 / 133 in a shell).
    func isAnError(_ r: CommandRunner.Result) -> Bool { r.status == 1 }

    @Test func absurdNumbersInAnEditedStoreAreNamedNotATrap() throws {
        let db = try ingestedStore()
        let store = try CaseStore(path: db)
        try store.executeForTesting("PRAGMA ignore_check_constraints = ON")
        try store.executeForTesting("UPDATE subjects SET age = 1e300 WHERE id = '941_S_0002'")
        try store.executeForTesting("UPDATE subjects SET mmse = 1e300 WHERE id = '941_S_0003'")
        for (id, column) in [("941_S_0002", "age"), ("941_S_0003", "mmse")] {
            let show = try CommandRunner.run(["case", "show", id, "--db", db])
            #expect(isAnError(show), "exit \(show.status): \(show.stderr)")
            #expect(show.stderr.contains("subjects row \(id), column \(column): 1e+300 is outside"), "\(show.stderr)")
        }
        let list = try CommandRunner.run(["case", "list", "--db", db])
        #expect(isAnError(list) && list.stderr.contains("holds a row Memoir cannot read"), "\(list.stderr)")
    }

    @Test func escapeSequencesInStoredTextNeverReachTheTerminal() throws {
        let db = try ingestedStore()
        let store = try CaseStore(path: db)
        try store.executeForTesting("""
            UPDATE subjects SET caption = 'safe' || char(27) || '[2J' || char(27) || ']0;pwned' || char(7) || ' text' || char(155) || '31m',
                                t1_path = 'a' || char(27) || '[31m/b' || char(8) || '.nii' WHERE id = '941_S_0001'
            """)
        let show = try CommandRunner.run(["case", "show", "941_S_0001", "--db", db])
        #expect(show.status == 0, "\(show.stderr)")
        for control in ["\u{1B}", "\u{07}", "\u{08}", "\u{9B}"] { #expect(!show.stdout.contains(control)) }
        #expect(show.stdout.contains("T1: a/b.nii\n") && show.stdout.contains("safe text\n"), "\(show.stdout)")
        // The JSON form escapes them instead (JSON strings cannot hold raw control characters).
        let json = try CommandRunner.run(["case", "show", "941_S_0001", "--db", db, "--json"])
        #expect(json.status == 0 && !json.stdout.contains("\u{1B}") && json.stdout.contains("\\u001b"), "\(json.stdout)")
    }

    @Test func retrieveByTextNeverMigratesTheStore() throws {
        let db = try ingestedStore()
        // Schema 1 as an old Memoir left it.
        try CaseStore(path: db).executeForTesting("DELETE FROM grdb_migrations WHERE identifier != 'v1-subjects'")
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let r = try CommandRunner.run(["retrieve", "--db", db, "--text", "an 80-year-old woman", "--encoder", folder.file("no-encoder")])
        #expect(r.status != 0)
        #expect(r.stderr.contains("has schema version 1"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }

    @Test func impossiblePairLengthsAreUsageErrors() throws {
        for length in ["0", "2"] {
            let r = try CommandRunner.run(["rerank", "--reranker", folder.file("none"), "--query", "q", "--max-length", length, "p"])
            #expect(r.status == 64, "--max-length \(length): exit \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("--max-length must be in 3"), "\(r.stderr)")
        }
    }
}
