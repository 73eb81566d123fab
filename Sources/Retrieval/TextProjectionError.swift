/// Why a text→case projection cannot be found, loaded or applied; messages name the file.
public enum TextProjectionError: Error, CustomStringConvertible, Equatable {
    case notFound(searched: String, hint: String)
    case missingFile(path: String, hint: String)
    case invalidConfig(path: String, reason: String)
    case invalidWeights(path: String, reason: String)
    case badInput(reason: String)

    public var description: String {
        switch self {
        case let .notFound(searched, hint): "no text projection directory at \(searched). \(hint)"
        case let .missingFile(path, hint): "missing text projection file \(path). \(hint)"
        case let .invalidConfig(path, reason): "\(path): \(reason)"
        case let .invalidWeights(path, reason): "\(path): \(reason)"
        case let .badInput(reason): "text projection input: \(reason)"
        }
    }
}
