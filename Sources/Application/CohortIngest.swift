import Cohort
import Store

/// `memoir ingest`: a cohort table validated (rows and volumes) before the store is even opened, then stored
/// in one transaction, so a bad file leaves no store behind and an existing store unchanged.
public enum CohortIngest {
    /// The store is written under its writer lock, so an ingest never lands in the middle of an encode or index
    /// (`note` hears when it must wait).
    /// What is ingested: a cohort CSV or ADNIMERGE table, or a BIDS dataset with an optional column map (JSON).
    public enum Source: Sendable {
        case table(String)
        case bids(String, columnMap: String?)
    }

    public static func run(csvPath: String, storePath: String, splitSeed: UInt64, visits: VisitSelection = .baseline,
                           imageMap: String? = nil, allowUnregistered: Bool = false, library: CaseStore.LibraryVisits = .baseline,
                           progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
                           note: (String) -> Void = { _ in }) throws -> CohortImporter.Summary {
        try run(.table(csvPath), storePath: storePath, splitSeed: splitSeed, visits: visits, imageMap: imageMap,
                allowUnregistered: allowUnregistered, library: library, progress: progress, note: note)
    }

    public static func run(_ source: Source, storePath: String, splitSeed: UInt64, visits: VisitSelection = .baseline,
                           imageMap: String? = nil, allowUnregistered: Bool = false, library: CaseStore.LibraryVisits = .baseline,
                           progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
                           note: (String) -> Void = { _ in }) throws -> CohortImporter.Summary {
        let importer = CohortImporter(splitSeed: splitSeed, visits: visits, imageMapPath: imageMap, allowUnregistered: allowUnregistered)
        let imported: CohortImporter.Imported
        switch source {
        case let .table(path):
            imported = try importer.read(csvPath: path, progress: progress)
        case let .bids(root, columnMap):
            imported = try importer.read(bidsDirectory: root, columns: try columnMap.map(BIDSColumnMap.read(path:)) ?? .standard,
                                         progress: progress)
        }
        let lock = try StoreWriterLock.acquire(storePath: storePath, purpose: "memoir ingest", waiting: note)
        defer { lock.release() }
        let store = try CaseStore(path: storePath, access: .create)
        try store.replaceCohort(imported.cases, courses: imported.courses, library: library, source: imported.source,
                                splitSeed: imported.splitSeed)
        return imported.summary
    }
}
