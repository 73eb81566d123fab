import Cohort
import Foundation
import GRDB
import Numerics

/// The SQLite case store and the one owner of its tables: subjects, cohort metadata, cached fused
/// embeddings, reranker caption states, the ask log and evaluation runs. Every table is created by
/// `StoreMigrations`; nothing outside this module sees a `Database`. Every write is one transaction, so an
/// interrupted command leaves the previous state intact.
public final class CaseStore: Sendable {
    /// The file, or ":memory:" for a store made by `inMemory()`.
    public let path: String
    let queue: DatabaseQueue

    /// How a command may use the store.
    public enum Access: Sendable {
        /// Create the file (and its folder) when missing, and migrate: `memoir ingest`.
        case create
        /// The store must exist; migrations not yet applied are applied.
        case readWrite
        /// The store must exist and be current; nothing is created, migrated or written.
        case readOnly
    }

    /// `$MEMOIR_DB`, else `$MEMOIR_HOME/memoir.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let db = environment["MEMOIR_DB"], !db.isEmpty { return db }
        return ModelDirectory.memoirHome(environment) + "/memoir.sqlite"
    }

    /// Opens the store at `path`. A store written by a newer Memoir (a migration this build does not know)
    /// is refused before anything is written.
    public init(path: String, access: Access = .readWrite) throws {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if access != .create {
            guard exists else { throw StoreError.missing(path: path) }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            guard size > 0 else { throw StoreError.notAStore(path: path, reason: "the file is empty") }
        } else {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        }
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.readonly = access == .readOnly
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch let error as DatabaseError {
            throw StoreError.database(path: path, message: error.message ?? error.description)
        }
        try Self.prepare(queue, path: path, access: access, existed: exists)
    }

    /// An empty store in memory, for tests.
    public static func inMemory() throws -> CaseStore { try CaseStore(queue: DatabaseQueue(), path: ":memory:") }

    private init(queue: DatabaseQueue, path: String) throws {
        self.path = path
        self.queue = queue
        try Self.prepare(queue, path: path, access: .create, existed: false)
    }

    /// Checks the schema version and migrates when `access` allows it.
    private static func prepare(_ queue: DatabaseQueue, path: String, access: Access, existed: Bool) throws {
        let migrator = StoreMigrations.migrator
        do {
            let (applied, hasTables) = try queue.read { db in
                (try migrator.appliedIdentifiers(db), try db.tableExists("subjects"))
            }
            let unknown = applied.subtracting(StoreMigrations.identifiers)
            guard unknown.isEmpty else {
                throw StoreError.newerSchema(path: path, unknownMigrations: unknown.sorted())
            }
            if existed, !hasTables {
                throw StoreError.notAStore(path: path, reason: "it holds no Memoir tables")
            }
            let pending = StoreMigrations.identifiers.filter { !applied.contains($0) }
            guard !pending.isEmpty else { return }
            guard access != .readOnly else {
                throw StoreError.outdatedSchema(path: path, version: applied.count, current: StoreMigrations.identifiers.count)
            }
            try migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw StoreError.database(path: path, message: error.message ?? error.description)
        }
    }

    /// Schema version of this build: the number of migrations it knows.
    public static var schemaVersion: Int { StoreMigrations.identifiers.count }

    // MARK: Subjects

    /// Replaces the cohort with `cases` in one transaction: rows are upserted and subjects absent from
    /// `cases` are removed, so re-running an ingest with the same file changes nothing.
    /// `courses` (longitudinal tables) replace the stored visits; `library` says which training cases
    /// retrieval searches (see `libraryIDs()`).
    public func replaceCohort(_ cases: [StoredCase], courses: [SubjectCourse] = [], library: LibraryVisits = .baseline,
                              source: String, splitSeed: UInt64) throws {
        try write { db in
            let keep = Set(cases.map(\.record.subjectID))
            for id in try String.fetchAll(db, sql: "SELECT id FROM subjects") where !keep.contains(id) {
                _ = try SubjectRecord.deleteOne(db, key: id)
            }
            for c in cases { try SubjectRecord(c).upsert(db) }
            try VisitRow.deleteAll(db)
            for course in courses { for p in course.points { try VisitRow(subject: course.subjectID, p).insert(db) } }
            try CohortMetaRecord(key: "source", value: source).upsert(db)
            try CohortMetaRecord(key: "split_seed", value: String(splitSeed)).upsert(db)
            try CohortMetaRecord(key: "library", value: library.rawValue).upsert(db)
        }
    }

    /// Which training cases form the retrieval library when a subject has several visits.
    public enum LibraryVisits: String, Sendable, CaseIterable {
        /// Baseline visits only (cases without a visit count as baseline): each neighbour's later course is then
        /// its whole follow-up.
        case baseline
        /// Every training case, whatever its visit.
        case all
    }

    /// The retrieval library: the training split, restricted to baseline visits unless the cohort was
    /// ingested with `--library all`. A store without visits gives every training case, as before.
    public func libraryIDs() throws -> [String] {
        let all = (try meta("library")) == LibraryVisits.all.rawValue
        return try read { db in
            var request = SubjectRecord.filter(split: .train)
            if !all { request = request.filter(Column("viscode") == nil || Column("viscode") == "bl") }
            return try String.fetchAll(db, request.select(Column("id")).order(Column("id")))
        }
    }

    /// Every visit on record for each of `subjects` (those with none are absent): the subjects' courses.
    public func courses(of subjects: [String]) throws -> [String: SubjectCourse] {
        let rows = try read { db in try VisitRow.filter(subjects.contains(Column("subject_id"))).fetchAll(db) }
        var points: [String: [CoursePoint]] = [:]
        for r in rows { points[r.subjectID, default: []].append(try r.point(path: path)) }
        return Dictionary(uniqueKeysWithValues: points.map { ($0.key, SubjectCourse(subjectID: $0.key, points: $0.value)) })
    }

    /// How many visits are on record (0 for a one-row-per-subject cohort).
    public func visitCount() throws -> Int { try read { db in try VisitRow.fetchCount(db) } }

    public func count(split: Split? = nil) throws -> Int {
        try read { db in try SubjectRecord.filter(split: split).fetchCount(db) }
    }

    public func subjectIDs(split: Split? = nil) throws -> [String] {
        try read { db in try String.fetchAll(db, SubjectRecord.filter(split: split).select(Column("id")).order(Column("id"))) }
    }

    /// The stored case, or `StoreError.unknownCase`.
    public func storedCase(_ id: String) throws -> StoredCase {
        guard let record = try read({ db in try SubjectRecord.fetchOne(db, key: id) }) else { throw StoreError.unknownCase(id) }
        return try record.storedCase(path: path)
    }

    public func allCases(split: Split? = nil) throws -> [StoredCase] {
        try read { db in try SubjectRecord.filter(split: split).order(Column("id")).fetchAll(db) }.map { try $0.storedCase(path: path) }
    }

    public func meta(_ key: String) throws -> String? {
        try read { db in try CohortMetaRecord.fetchOne(db, key: key)?.value }
    }

    // MARK: Transactions with errors translated (for this module's tables)

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch { throw translate(error) }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.write(body) } catch { throw translate(error) }
    }

    private func translate(_ error: Error) -> Error {
        switch error {
        case let error as DatabaseError: StoreError.database(path: path, message: error.message ?? error.description)
        case let error as RowDecodingError: StoreError.corruptRow(path: path, reason: "\(error)")
        case let error as CorruptValue: StoreError.corruptRow(path: path, reason: error.description)
        default: error
        }
    }
}
