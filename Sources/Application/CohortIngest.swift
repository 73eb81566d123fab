import Cohort
import Store

/// `memoir ingest`: a cohort table validated (rows and volumes) before the store is even opened, then stored
/// in one transaction, so a bad file leaves no store behind and an existing store unchanged.
public enum CohortIngest {
    /// The store is written under its writer lock, so an ingest never lands in the middle of an encode or index
    /// (`note` hears when it must wait).
    public static func run(csvPath: String, storePath: String, splitSeed: UInt64, visits: VisitSelection = .baseline,
                           imageMap: String? = nil, allowUnregistered: Bool = false, library: CaseStore.LibraryVisits = .baseline,
                           progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
                           note: (String) -> Void = { _ in }) throws -> CohortImporter.Summary {
        let importer = CohortImporter(splitSeed: splitSeed, visits: visits, imageMapPath: imageMap, allowUnregistered: allowUnregistered)
        let imported = try importer.read(csvPath: csvPath, progress: progress)
        let lock = try StoreWriterLock.acquire(storePath: storePath, purpose: "memoir ingest", waiting: note)
        defer { lock.release() }
        let store = try CaseStore(path: storePath, access: .create)
        try store.replaceCohort(imported.cases, courses: imported.courses, library: library, source: imported.source,
                                splitSeed: imported.splitSeed)
        return imported.summary
    }
}
