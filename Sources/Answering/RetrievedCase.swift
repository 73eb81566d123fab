/// A similar historical subject handed to the LLM as text: its id, recorded diagnosis and the
/// caption of its images and clinical data (the LLM never sees images).
public struct RetrievedCase: Sendable, Equatable {
    public var subjectID: String
    public var diagnosis: String
    public var caption: String

    public init(subjectID: String, diagnosis: String, caption: String) {
        self.subjectID = subjectID
        self.diagnosis = diagnosis
        self.caption = caption
    }

    /// Numbered entries as `{{retrieved_cases}}` shows them, most similar first.
    public static func promptBlock(_ cases: [RetrievedCase]) -> String {
        cases.enumerated().map { index, item in
            "\(index + 1). Subject \(item.subjectID) (recorded diagnosis: \(item.diagnosis))\n   \(item.caption)"
        }.joined(separator: "\n")
    }
}
