/// Why the server could not start.
public enum ServerError: Error, CustomStringConvertible {
    case configuration(String)
    case missingResource(String)

    public var description: String {
        switch self {
        case let .configuration(reason): reason
        case let .missingResource(name): "the server's resource \(name) is missing from this build"
        }
    }
}
