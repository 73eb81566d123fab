/// Which side of the 80/20 split a subject is on: training cases form the retrieval library.
public enum Split: String, Sendable, Codable, CaseIterable {
    case train
    case test
}
