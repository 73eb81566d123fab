import Application
import ArgumentParser
import Store

/// `--db PATH`, shared by every command that reads or writes the case store.
struct StoreOptions: ParsableArguments {
    @Option(help: "Case store (SQLite). Default: $MEMOIR_DB, else $MEMOIR_HOME/memoir.sqlite (~/.cache/memoir/memoir.sqlite).")
    var db: String?

    var path: String { StoreLayout.storePath(explicit: db) }

    /// Read-write by default (caches and logs are written); `.readOnly` for commands that only look.
    func open(_ access: CaseStore.Access = .readWrite) throws -> CaseStore { try CaseStore(path: path, access: access) }
}
