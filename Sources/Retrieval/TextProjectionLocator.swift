import Foundation
import TextModels

/// Finds the text→case projection: an explicit path (a `--projection` flag), then `MEMOIR_PROJECTION_DIR`,
/// then `$MEMOIR_HOME/models/text-projection`, which `Scripts/setup.sh` links to `Models/text-projection`.
public enum TextProjectionLocator {
    public static let environmentVariable = "MEMOIR_PROJECTION_DIR"
    public static let fetchHint = "Run Scripts/setup.sh (links Models/text-projection), or pass --projection DIR, or set MEMOIR_PROJECTION_DIR."

    public static var defaultDirectory: String { ModelLocator.memoirHome + "/models/text-projection" }

    /// The projection directory, checked to hold `config.json` and `model.safetensors`.
    public static func directory(explicit: String? = nil) throws -> String {
        let env = ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let (candidate, origin): (String, String) =
            if let explicit { (explicit, "--projection") } else if let env { (env, environmentVariable) } else { (defaultDirectory, "default cache") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TextProjectionError.notFound(searched: "\(candidate) (\(origin))", hint: fetchHint)
        }
        for file in ["config.json", "model.safetensors"] where !FileManager.default.fileExists(atPath: candidate + "/" + file) {
            throw TextProjectionError.missingFile(path: candidate + "/" + file, hint: fetchHint)
        }
        return candidate
    }
}
