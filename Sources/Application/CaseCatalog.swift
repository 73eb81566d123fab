import Cohort
import Foundation
import Store

/// `memoir case list|show` and the workspace's case picker: the stored cases, filtered and paged.
public struct CaseCatalog: Sendable {
    public let store: CaseStore

    public init(store: CaseStore) { self.store = store }

    /// Which cases to list. `search` matches the subject id or caption, case-insensitively.
    public struct Filter: Sendable, Equatable {
        public var split: Split?
        public var diagnosis: Diagnosis?
        public var search: String?
        public var limit: Int
        public var offset: Int

        public static let maximumLimit = 1_000

        public init(split: Split? = nil, diagnosis: Diagnosis? = nil, search: String? = nil, limit: Int = 100, offset: Int = 0) {
            self.split = split
            self.diagnosis = diagnosis
            self.search = search
            self.limit = limit
            self.offset = offset
        }
    }

    /// One row of a case list: enough to pick a case without loading it.
    public struct Summary: Sendable, Equatable, Codable {
        public var id: String
        public var diagnosis: String
        public var split: String
        public var age: Double?
        public var sex: String?
        public var mmse: Double?
        public var t1: Bool
        public var fa: Bool
    }

    public struct Page: Sendable, Equatable, Codable {
        /// Cases matching the filter, before paging.
        public var total: Int
        public var cases: [Summary]
    }

    public func list(_ filter: Filter) throws -> Page {
        guard (1...Filter.maximumLimit).contains(filter.limit) else {
            throw ApplicationError.invalid("limit must lie in 1…\(Filter.maximumLimit), got \(filter.limit)")
        }
        guard filter.offset >= 0 else { throw ApplicationError.invalid("offset must not be negative, got \(filter.offset)") }
        let needle = CaseInsensitiveNeedle(filter.search?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
        // Ids (and captions only for a search) of every match, whole rows only for the page: at 10⁵ cases decoding
        // every row for each page took seconds.
        let found = try store.casePage(split: filter.split, diagnosis: filter.diagnosis, withCaptions: needle != nil,
                                       offset: filter.offset, limit: filter.limit) { id, caption in
            guard let needle else { return true }
            return needle.isFound(in: id) || needle.isFound(in: caption ?? "")
        }
        let page = found.cases.map { c in
            Summary(id: c.id, diagnosis: c.record.diagnosis.rawValue, split: c.split.rawValue, age: c.record.age,
                    sex: c.record.sex?.rawValue, mmse: c.record.mmse, t1: c.record.t1Path != nil, fa: c.record.faPath != nil)
        }
        return Page(total: found.total, cases: page)
    }

    /// One stored case: record, split, image measures and caption.
    public func detail(_ id: String) throws -> StoredCase { try store.storedCase(id) }
}
