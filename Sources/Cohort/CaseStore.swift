import Foundation
import GRDB

/// The SQLite case store: subjects, clinical values, captions and the train/test split.
/// Every write is one transaction, so an interrupted ingest leaves the previous state intact.
public final class CaseStore: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// `$MEMOIR_DB`, else `$MEMOIR_HOME/memoir.sqlite` (MEMOIR_HOME defaults to ~/.cache/memoir).
    public static var defaultPath: String {
        let env = ProcessInfo.processInfo.environment
        if let db = env["MEMOIR_DB"], !db.isEmpty { return db }
        let home = env["MEMOIR_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.cache/memoir"
        return home + "/memoir.sqlite"
    }

    /// Opens (creating when `create`) and migrates the store.
    public init(path: String, create: Bool = true) throws {
        self.path = path
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw CohortError.database("no case store at \(path); run `memoir ingest COHORT.csv --db \(path)` first")
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        do {
            var config = Configuration()
            config.busyMode = .timeout(10)
            queue = try DatabaseQueue(path: path, configuration: config)
            try CaseStoreSchema.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw CohortError.database("\(path): \(error.message ?? error.description)")
        }
    }

    /// Replaces the cohort with `cases` in one transaction: rows are upserted and subjects absent from
    /// `cases` are removed, so re-running an ingest with the same file changes nothing.
    public func replaceCohort(_ cases: [StoredCase], source: String, splitSeed: UInt64) throws {
        try write { db in
            let keep = Set(cases.map(\.record.subjectID))
            let existing = try String.fetchAll(db, sql: "SELECT id FROM subjects")
            for id in existing where !keep.contains(id) {
                try db.execute(sql: "DELETE FROM subjects WHERE id = ?", arguments: [id])
            }
            for c in cases { try CaseStoreSchema.upsert(c, db: db) }
            try db.execute(sql: "INSERT OR REPLACE INTO cohort_meta(key, value) VALUES ('source', ?), ('split_seed', ?)",
                           arguments: [source, String(splitSeed)])
        }
    }

    public func count(split: Split? = nil) throws -> Int {
        try read { db in
            if let split { return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subjects WHERE split = ?", arguments: [split.rawValue]) ?? 0 }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subjects") ?? 0
        }
    }

    public func subjectIDs(split: Split? = nil) throws -> [String] {
        try read { db in
            if let split { return try String.fetchAll(db, sql: "SELECT id FROM subjects WHERE split = ? ORDER BY id", arguments: [split.rawValue]) }
            return try String.fetchAll(db, sql: "SELECT id FROM subjects ORDER BY id")
        }
    }

    /// The stored case, or `CohortError.unknownCase`.
    public func storedCase(_ id: String) throws -> StoredCase {
        let found = try read { db in try Row.fetchOne(db, sql: "SELECT * FROM subjects WHERE id = ?", arguments: [id]) }
        guard let row = found else { throw CohortError.unknownCase(id) }
        return try CaseStoreSchema.storedCase(from: row)
    }

    public func allCases(split: Split? = nil) throws -> [StoredCase] {
        try read { db in
            let rows = split == nil
                ? try Row.fetchAll(db, sql: "SELECT * FROM subjects ORDER BY id")
                : try Row.fetchAll(db, sql: "SELECT * FROM subjects WHERE split = ? ORDER BY id", arguments: [split!.rawValue])
            return try rows.map(CaseStoreSchema.storedCase(from:))
        }
    }

    public func meta(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM cohort_meta WHERE key = ?", arguments: [key]) }
    }

    // MARK: Transactions with errors translated

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch let error as DatabaseError {
            throw CohortError.database("\(path): \(error.message ?? error.description)")
        }
    }

    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.write(body) } catch let error as DatabaseError {
            throw CohortError.database("\(path): \(error.message ?? error.description)")
        }
    }
}
