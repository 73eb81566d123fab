import ArgumentParser
import Cohort

/// `--db PATH`, shared by every command that reads or writes the case store.
struct StoreOptions: ParsableArguments {
    @Option(help: "Case store (SQLite). Default: $MEMOIR_DB, else $MEMOIR_HOME/memoir.sqlite (~/.cache/memoir/memoir.sqlite).")
    var db: String?

    var path: String { db ?? CaseStore.defaultPath }

    func open(create: Bool = false) throws -> CaseStore { try CaseStore(path: path, create: create) }
}
