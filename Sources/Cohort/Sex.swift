import Foundation

public enum Sex: String, Sendable, CaseIterable, Codable {
    case female = "F"
    case male = "M"

    public init?(parsing text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "f", "female", "woman", "2": self = .female
        case "m", "male", "man", "1": self = .male
        default: return nil
        }
    }
}
