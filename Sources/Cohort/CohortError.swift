/// A cohort problem, located precisely enough to fix: file, row (1-based, header is row 1) and field.
public enum CohortError: Error, CustomStringConvertible, Equatable {
    case missingColumns(file: String, columns: [String])
    case invalidValue(file: String, row: Int, field: String, value: String, reason: String)
    case duplicateSubject(file: String, row: Int, subjectID: String, firstRow: Int)
    case image(file: String, row: Int, field: String, reason: String)
    case unreadable(file: String, reason: String)
    case empty(file: String)
    case unknownCase(String)
    case database(String)
    case templates(String)
    /// Several row problems found in one pass (at most `RowErrorList.limit`; `omitted` more were not listed).
    case rows(file: String, errors: [CohortError], omitted: Int)

    public var description: String {
        switch self {
        case let .missingColumns(file, columns): "\(file): missing column(s) \(columns.joined(separator: ", ")) (see README, 'Cohort CSV format')"
        case let .invalidValue(file, row, field, value, reason): "\(file): row \(row), field \(field): '\(value)' \(reason)"
        case let .duplicateSubject(file, row, id, first): "\(file): row \(row): subject \(id) already appears in row \(first)"
        case let .image(file, row, field, reason): "\(file): row \(row), field \(field): \(reason)"
        case let .unreadable(file, reason): "\(file): \(reason)"
        case let .empty(file): "\(file): no subject rows"
        case let .unknownCase(id): "unknown case id '\(id)' (list cases with `memoir case list`)"
        case let .database(reason): "case store: \(reason)"
        case let .templates(reason): reason
        case let .rows(file, errors, omitted):
            "\(file): \(errors.count + omitted) problem(s)\n" + errors.map { "  " + $0.description }.joined(separator: "\n")
                + (omitted > 0 ? "\n  ... and \(omitted) more" : "")
        }
    }
}
