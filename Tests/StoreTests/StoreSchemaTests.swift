import Cohort
import Crypto
import Foundation
@_spi(Testing) import Store
import Testing
import TestSupport

@Suite struct StoreSchemaTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    func sha256(_ path: String) throws -> String {
        SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
    }

    @Test func aStoreFromANewerMemoirIsRefusedAndLeftUnchanged() throws {
        let path = folder.file("future.sqlite")
        let store = try CaseStore(path: path, access: .create)
        try store.ingest(Fixtures.path("cohort/cohort.csv"))
        try store.executeForTesting("INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        let before = try sha256(path)
        for access in [CaseStore.Access.readWrite, .readOnly, .create] {
            #expect(throws: StoreError.newerSchema(path: path, unknownMigrations: ["v99-from-the-future"])) {
                _ = try CaseStore(path: path, access: access)
            }
        }
        #expect(try sha256(path) == before)
        #expect(StoreError.newerSchema(path: path, unknownMigrations: ["v99"]).description.contains("newer Memoir"))
    }

    @Test func readCommandsNeverCreateOrMigrate() throws {
        let missing = folder.file("none.sqlite")
        #expect(throws: StoreError.missing(path: missing)) { _ = try CaseStore(path: missing, access: .readOnly) }
        #expect(throws: StoreError.missing(path: missing)) { _ = try CaseStore(path: missing, access: .readWrite) }
        #expect(!FileManager.default.fileExists(atPath: missing))

        let empty = folder.file("empty.sqlite")
        FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(throws: StoreError.notAStore(path: empty, reason: "the file is empty")) { _ = try CaseStore(path: empty, access: .readOnly) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)

        let text = folder.file("notes.sqlite")
        try "not a database".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(throws: StoreError.self) { _ = try CaseStore(path: text, access: .readWrite) }
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "not a database")
    }

    @Test func anOlderStoreIsUpgradedByAWriterAndNamedByAReader() throws {
        let path = folder.file("old.sqlite")
        let store = try CaseStore(path: path, access: .create)
        try store.ingest(Fixtures.path("cohort/cohort.csv"))
        // Schema 1 as Memoir wrote it before the migrator owned every table: only v1 recorded.
        try store.executeForTesting("DELETE FROM grdb_migrations WHERE identifier != 'v1-subjects'")
        #expect(throws: StoreError.outdatedSchema(path: path, version: 1, current: CaseStore.schemaVersion)) {
            _ = try CaseStore(path: path, access: .readOnly)
        }
        let upgraded = try CaseStore(path: path, access: .readWrite)
        #expect(try upgraded.count() == 6)
        #expect(try CaseStore(path: path, access: .readOnly).count() == 6)
    }

    @Test func aRowEditedByAnotherToolIsAnErrorNamingItNotACrash() throws {
        let store = try CaseStore.inMemory()
        try store.ingest(Fixtures.path("cohort/cohort.csv"))
        // SQLite lets another tool put text in a REAL column (CHECK constraints compare it as text).
        try store.executeForTesting("PRAGMA ignore_check_constraints = ON")
        try store.executeForTesting("UPDATE subjects SET age = 'seventy' WHERE id = '941_S_0002'")
        try store.executeForTesting("UPDATE subjects SET sex = 'X', apoe = 'banana' WHERE id = '941_S_0003'")
        #expect { _ = try store.storedCase("941_S_0002") } throws: { error in
            guard case let StoreError.corruptRow(_, reason) = error else { return false }
            return reason.contains("age") || reason.contains("941_S_0002")
        }
        #expect { _ = try store.storedCase("941_S_0003") } throws: { error in
            guard case let StoreError.corruptRow(_, reason) = error else { return false }
            return reason.contains("941_S_0003") && reason.contains("sex")
        }
        #expect(throws: StoreError.self) { _ = try store.allCases() }
        #expect(try store.storedCase("941_S_0001").id == "941_S_0001")
    }

    /// Issue #15: numbers out of every range ingest accepts (age 1e300 trapped `ask` in Int(age.rounded())) are a
    /// corrupt-row error naming table, row and column, for subjects and visits alike.
    @Test func outOfRangeNumbersInAnEditedRowAreNamedNotATrap() throws {
        let store = try CaseStore.inMemory()
        try store.ingest(Fixtures.path("cohort/cohort.csv"))
        try store.executeForTesting("PRAGMA ignore_check_constraints = ON")
        try store.executeForTesting("UPDATE subjects SET age = 1e300 WHERE id = '941_S_0002'")
        try store.executeForTesting("UPDATE subjects SET mmse = 1e300 WHERE id = '941_S_0003'")
        try store.executeForTesting("UPDATE subjects SET education = -4 WHERE id = '941_S_0004'")
        try store.executeForTesting("UPDATE subjects SET brain_parenchymal_fraction = 7 WHERE id = '941_S_0005'")
        for (id, column) in [("941_S_0002", "age"), ("941_S_0003", "mmse"), ("941_S_0004", "education"), ("941_S_0005", "brain_parenchymal_fraction")] {
            #expect { _ = try store.storedCase(id) } throws: { error in
                guard case let StoreError.corruptRow(_, reason) = error else { return false }
                return reason.contains("subjects row \(id), column \(column)") && reason.contains("is outside")
            }
        }
        #expect { _ = try store.allCases() } throws: { "\($0)".contains("holds a row Memoir cannot read") }
        // A visit with months or scores out of range is named the same way.
        try store.executeForTesting("INSERT INTO visits (subject_id, viscode, months, mmse) VALUES ('941_S_0001', 'm06', 1e300, 29)")
        #expect { _ = try store.courses(of: ["941_S_0001"]) } throws: { "\($0)".contains("visits row 941_S_0001 m06, column months") }
        try store.executeForTesting("UPDATE visits SET months = 6, mmse = -1 WHERE subject_id = '941_S_0001'")
        #expect { _ = try store.courses(of: ["941_S_0001"]) } throws: { "\($0)".contains("column mmse") }
        // An age at a late visit (baseline 110 plus follow-up) is still a valid row.
        try store.executeForTesting("UPDATE subjects SET age = 118.5 WHERE id = '941_S_0001'")
        #expect(try store.storedCase("941_S_0001").record.age == 118.5)
    }

    @Test func everyTableComesFromTheMigrator() throws {
        let store = try CaseStore.inMemory()
        let tables = try store.textColumnForTesting("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        #expect(tables == ["asks", "cohort_meta", "embeddings", "grdb_migrations", "rerank_states", "subjects", "visits", "vqa_answers",
                           "vqa_runs"])
        #expect(CaseStore.schemaVersion == 7)
    }

    @Test func changingAnEncoderInputDropsTheCachedEmbeddingButACaptionEditDoesNot() throws {
        let store = try CaseStore.inMemory()
        try store.ingest(Fixtures.path("cohort/cohort.csv"))
        let cache = EmbeddingCache(store: store, encoderHash: "h")
        try cache.store([1, 2], for: "941_S_0001", modalities: .all)
        try cache.store([3, 4], for: "941_S_0002", modalities: .all)
        try store.executeForTesting("UPDATE subjects SET caption = 'edited' WHERE id = '941_S_0001'")
        #expect(try cache.embedding(for: "941_S_0001", modalities: .all) == [1, 2])
        for field in ClinicalField.encoderInputs where field == .mmse {
            try store.executeForTesting("UPDATE subjects SET \(field.storeColumn) = 12 WHERE id = '941_S_0002'")
        }
        #expect(try cache.embedding(for: "941_S_0002", modalities: .all) == nil)
    }
}
