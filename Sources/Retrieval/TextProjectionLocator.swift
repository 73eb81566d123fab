import Foundation
import Numerics
import TextModels

/// Finds the text→case projection: an explicit path (a `--projection` flag), then `MEMOIR_PROJECTION_DIR`,
/// then `$MEMOIR_HOME/models/text-projection`, which `Scripts/setup.sh` links to `Models/text-projection`.
public enum TextProjectionLocator {
    public static let environmentVariable = "MEMOIR_PROJECTION_DIR"
    public static let fetchHint = "Run Scripts/setup.sh (links Models/text-projection), or pass --projection DIR, or set MEMOIR_PROJECTION_DIR."

    public static let location = ModelDirectory(flag: "--projection", environmentVariable: environmentVariable,
                                         defaultSubpath: "models/text-projection", requiredFiles: ["config.json", "model.safetensors"])

    public static var defaultDirectory: String { location.defaultDirectory() }

    /// The projection directory, checked to hold `config.json` and `model.safetensors`.
    public static func directory(explicit: String? = nil) throws -> String {
        switch location.resolve(explicit: explicit) {
        case let .success(directory): return directory
        case let .failure(.notFound(candidate, origin)): throw TextProjectionError.notFound(searched: "\(candidate) (\(origin))", hint: fetchHint)
        case let .failure(.missingFile(path)): throw TextProjectionError.missingFile(path: path, hint: fetchHint)
        }
    }
}
