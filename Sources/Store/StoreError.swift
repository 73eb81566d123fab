/// A case-store problem, naming the file and, for a bad row, the table and key.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case missing(path: String)
    case notAStore(path: String, reason: String)
    /// Written by a newer Memoir: this build refuses to read or write it.
    case newerSchema(path: String, unknownMigrations: [String])
    /// Written by an older Memoir and opened read-only, so it cannot be upgraded here.
    case outdatedSchema(path: String, version: Int, current: Int)
    case database(path: String, message: String)
    /// A row that another tool edited into something Memoir never writes.
    case corruptRow(path: String, reason: String)
    case unknownCase(String)
    /// Another writer held the store's writer lock for longer than this one would wait.
    case busy(path: String, holder: String, waited: Double)

    public var description: String {
        switch self {
        case let .missing(path): "no case store at \(path); run `memoir ingest COHORT.csv --db \(path)` first"
        case let .notAStore(path, reason): "\(path) is not a Memoir case store: \(reason)"
        case let .newerSchema(path, unknown):
            "\(path) was written by a newer Memoir (schema migrations \(unknown.joined(separator: ", ")) are unknown to this build); "
                + "it was not changed: use that Memoir, or ingest into a new store"
        case let .outdatedSchema(path, version, current):
            "\(path) has schema version \(version), this Memoir needs \(current): run a command that writes to it "
                + "(e.g. `memoir encode --db \(path)`) to upgrade it"
        case let .database(path, message): "case store \(path): \(message)"
        case let .corruptRow(path, reason): "case store \(path) holds a row Memoir cannot read: \(reason)"
        case let .busy(path, holder, waited):
            "\(holder) still holds the writer lock of \(path) after \(Int(waited)) s; nothing was written. Let it finish and run "
                + "this again (it will reuse that work), or set \(StoreWriterLock.timeoutVariable) to wait longer"
        case let .unknownCase(id): "unknown case id '\(id)' (list cases with `memoir case list`)"
        }
    }
}
