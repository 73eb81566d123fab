/// Collects a table's row errors so one pass reports them all (up to `limit`), instead of stopping at the first.
public struct RowErrorList: Sendable {
    /// Enough to see a pattern; a wrong file yields thousands, and the message must stay readable.
    public static let limit = 50
    public private(set) var errors: [CohortError] = []
    public private(set) var omitted = 0
    public let file: String

    public init(file: String) { self.file = file }

    public var isEmpty: Bool { errors.isEmpty }
    public var count: Int { errors.count + omitted }

    public mutating func add(_ error: CohortError) {
        if errors.count < Self.limit { errors.append(error) } else { omitted += 1 }
    }

    /// Adds an error, flattening a `CohortError.rows` into its parts.
    public mutating func absorb(_ error: CohortError) {
        guard case let .rows(_, inner, more) = error else { return add(error) }
        inner.forEach { add($0) }
        omitted += more
    }

    /// Runs `body`, recording the error it throws (any other than `CohortError` is named by the file); returns nil then.
    public mutating func collect<T>(_ body: () throws -> T) -> T? {
        do { return try body() } catch {
            add(error as? CohortError ?? .unreadable(file: file, reason: "\(error)"))
            return nil
        }
    }

    /// Throws the one error unchanged, or all of them as `CohortError.rows`.
    public func throwIfAny() throws {
        guard !errors.isEmpty else { return }
        if errors.count == 1, omitted == 0 { throw errors[0] }
        throw CohortError.rows(file: file, errors: errors, omitted: omitted)
    }
}
