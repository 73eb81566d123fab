/// Why an evaluation could not run; each case names the file, line or field at fault.
public enum EvaluationError: Error, CustomStringConvertible {
    case emptyInput(what: String)
    case invalidInput(source: String, detail: String)

    public var description: String {
        switch self {
        case let .emptyInput(what): "nothing to evaluate: \(what) is empty"
        case let .invalidInput(source, detail): "\(source): \(detail)"
        }
    }
}
