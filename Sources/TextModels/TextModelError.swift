/// Why a text model could not be loaded or run; messages name the file and say what to do.
public enum TextModelError: Error, CustomStringConvertible, Equatable {
    case modelNotFound(searched: [String], hint: String)
    case missingFile(path: String, hint: String)
    case invalidConfig(path: String, reason: String)
    case invalidVocabulary(path: String, reason: String)
    case unsupported(path: String, reason: String)
    case missingWeight(name: String, searched: [String])
    case weightShape(name: String, path: String, expected: [Int], actual: [Int])

    public var description: String {
        switch self {
        case let .modelNotFound(searched, hint):
            "no model directory found (looked in: \(searched.joined(separator: ", "))). \(hint)"
        case let .missingFile(path, hint):
            "missing model file \(path). \(hint)"
        case let .invalidConfig(path, reason):
            "\(path): \(reason)"
        case let .invalidVocabulary(path, reason):
            "\(path): \(reason)"
        case let .unsupported(path, reason):
            "\(path): unsupported model: \(reason)"
        case let .missingWeight(name, searched):
            "weight '\(name)' not found in \(searched.joined(separator: ", ")) (also tried with and without the 'bert.' prefix)"
        case let .weightShape(name, path, expected, actual):
            "\(path): weight '\(name)' has shape \(actual), expected \(expected)"
        }
    }
}
