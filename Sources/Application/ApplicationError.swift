/// A service could not do what was asked; the message says what to do about it.
public enum ApplicationError: Error, CustomStringConvertible {
    case encodingFailed([EncodeSummary.Failure])
    case incomplete(String)
    case invalid(String)
    /// Something named in the request does not exist (a case without an FA image, say).
    case notFound(String)
    /// Too much work is waiting already; try again after about `retryAfter` seconds.
    case busy(String, retryAfter: Int)

    public var description: String {
        switch self {
        case let .encodingFailed(failures):
            "\(failures.count) training case(s) could not be encoded, so the index was not built; first: "
                + (failures.first.map { "\($0.subjectID): \($0.message)" } ?? "")
        case let .incomplete(reason), let .invalid(reason), let .notFound(reason), let .busy(reason, _): reason
        }
    }
}
