import Foundation
import TextModels

/// Finds Memoir's domain reranker: an explicit path (a `--reranker` flag), then `MEMOIR_RERANKER_DIR`,
/// then `$MEMOIR_HOME/models/reranker-minilm-adni`, which `Scripts/setup.sh` links to the repository's
/// `Models/reranker-minilm-adni` (fine-tuned tensors only; `CrossEncoder` merges them over all-MiniLM-L6-v2).
public enum RerankerLocator {
    public static let environmentVariable = "MEMOIR_RERANKER_DIR"
    public static let fetchHint = "Run Scripts/setup.sh (links Models/reranker-minilm-adni), or pass --reranker DIR, or set MEMOIR_RERANKER_DIR."

    public static var defaultDirectory: String { ModelLocator.memoirHome + "/models/reranker-minilm-adni" }

    /// The reranker directory, checked to hold `config.json` and `model.safetensors`.
    public static func directory(explicit: String? = nil) throws -> String {
        let env = ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let (candidate, origin): (String, String) =
            if let explicit { (explicit, "--reranker") } else if let env { (env, environmentVariable) } else { (defaultDirectory, "default cache") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TextModelError.modelNotFound(searched: ["\(candidate) (\(origin))"], hint: fetchHint)
        }
        for file in ["config.json", "model.safetensors"] where !FileManager.default.fileExists(atPath: candidate + "/" + file) {
            throw TextModelError.missingFile(path: candidate + "/" + file, hint: fetchHint)
        }
        return candidate
    }
}
