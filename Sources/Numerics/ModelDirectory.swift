import Foundation

/// Where a model directory comes from, in the order every Memoir locator uses: an explicit path (a
/// command-line flag), then an environment variable, then a default under `$MEMOIR_HOME` (which
/// defaults to `~/.cache/memoir`). Each module's locator maps a failure to its own error type.
public struct ModelDirectory: Sendable {
    public let flag: String
    public let environmentVariable: String
    /// Path below `$MEMOIR_HOME`, e.g. "models/fused-encoder".
    public let defaultSubpath: String
    public let requiredFiles: [String]

    public init(flag: String, environmentVariable: String, defaultSubpath: String, requiredFiles: [String]) {
        self.flag = flag
        self.environmentVariable = environmentVariable
        self.defaultSubpath = defaultSubpath
        self.requiredFiles = requiredFiles
    }

    public enum Failure: Error, Equatable {
        /// `candidate` is not a directory; `origin` says where its path came from.
        case notFound(candidate: String, origin: String)
        case missingFile(path: String)
    }

    public static func memoirHome(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["MEMOIR_HOME"], !home.isEmpty { return home }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/memoir"
    }

    public func defaultDirectory(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        Self.memoirHome(environment) + "/" + defaultSubpath
    }

    /// The first candidate in order, checked to be a directory holding `requiredFiles`.
    public func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<String, Failure> {
        let fromEnvironment = environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let (candidate, origin): (String, String) =
            if let explicit { (explicit, flag) } else if let fromEnvironment { (fromEnvironment, environmentVariable) } else { (defaultDirectory(environment), "default location") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .failure(.notFound(candidate: candidate, origin: origin))
        }
        for file in requiredFiles where !FileManager.default.fileExists(atPath: candidate + "/" + file) {
            return .failure(.missingFile(path: candidate + "/" + file))
        }
        return .success(candidate)
    }
}
