/// A case as the store holds it: the record plus its split, caption and image-derived measures.
public struct StoredCase: Sendable, Equatable, Codable {
    public var record: CaseRecord
    public var split: Split
    public var measures: ImageMeasures
    public var caption: String

    public init(record: CaseRecord, split: Split, measures: ImageMeasures, caption: String) {
        self.record = record
        self.split = split
        self.measures = measures
        self.caption = caption
    }

    public var id: String { record.subjectID }
}
