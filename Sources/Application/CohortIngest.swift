import Cohort
import Store

/// `memoir ingest`: a cohort CSV validated (rows and volumes) before the store is even opened, then stored
/// in one transaction, so a bad file leaves no store behind and an existing store unchanged.
public enum CohortIngest {
    public static func run(csvPath: String, storePath: String, splitSeed: UInt64,
                           progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> CohortImporter.Summary {
        let imported = try CohortImporter(splitSeed: splitSeed).read(csvPath: csvPath, progress: progress)
        let store = try CaseStore(path: storePath, access: .create)
        try store.replaceCohort(imported.cases, source: imported.source, splitSeed: imported.splitSeed)
        return imported.summary
    }
}
