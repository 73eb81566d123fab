import GRDB

extension CaseStore {
    /// Runs raw SQL: only for tests that tamper with a store the way another tool might.
    @_spi(Testing)
    public func executeForTesting(_ sql: String) throws {
        try write { db in try db.execute(sql: sql) }
    }

    /// The first column of every row `sql` returns, as text: only for tests.
    @_spi(Testing)
    public func textColumnForTesting(_ sql: String) throws -> [String?] {
        try read { db in try Optional<String>.fetchAll(db, sql: sql) }
    }
}
