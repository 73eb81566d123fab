/// Why a prompt version could not be found, loaded or rendered.
public enum PromptError: Error, Equatable, CustomStringConvertible {
    case directoryNotFound(searched: [String])
    case missingFile(path: String)
    /// There, but not a regular file of at most `PromptTemplate.maximumFileBytes`.
    case unreadable(path: String, reason: String)
    case invalidSchema(path: String, reason: String)
    /// A `{{name}}` in a template with no value given.
    case missingValue(placeholder: String, file: String)
    /// Values given that no template of the version uses.
    case unknownPlaceholders([String], version: String)

    public var description: String {
        switch self {
        case let .directoryNotFound(searched):
            return "no prompt templates found; looked in: \(searched.joined(separator: ", ")) "
                + "(pass --prompts DIR, set MEMOIR_PROMPTS_DIR, or run `bash Scripts/setup.sh`, which installs them in $MEMOIR_HOME/prompts)"
        case let .missingFile(path):
            return "prompt file \(path) is missing"
        case let .unreadable(path, reason):
            return "prompt file \(path) cannot be read: \(reason)"
        case let .invalidSchema(path, reason):
            return "\(path) is not a JSON schema object: \(reason)"
        case let .missingValue(placeholder, file):
            return "\(file) uses {{\(placeholder)}} but no value was given for it"
        case let .unknownPlaceholders(names, version):
            return "prompt \(version) has no placeholder " + names.map { "{{\($0)}}" }.joined(separator: ", ")
        }
    }
}
