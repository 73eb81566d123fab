/// A stored value of the wrong type or out of range, found while decoding a row; `CaseStore` reports it
/// as `StoreError.corruptRow` with the store's path.
struct CorruptValue: Error, CustomStringConvertible {
    let table: String
    let key: String
    let column: String
    let value: String

    var description: String { "\(table) row \(key), column \(column): '\(String(value.prefix(40)))'" }
}
