/// A library of every visit holds the query subject's other visits; they are the same person, so never
/// its neighbours. The one filter that `ask`, `retrieve --prognosis` and `eval prognosis` apply.
extension Sequence {
    /// The elements that are not visits of `query`'s subject; `subject` gives an element's subject (nil when
    /// unknown, which is kept).
    public func excludingSubject(of query: CaseRecord, subject: (Element) throws -> String?) rethrows -> [Element] {
        try filter { try subject($0) != query.subject }
    }
}

extension Sequence where Element == StoredCase {
    /// The stored cases that are not visits of `query`'s subject.
    public func excludingSubject(of query: CaseRecord) -> [StoredCase] {
        excludingSubject(of: query) { $0.record.subject }
    }
}
