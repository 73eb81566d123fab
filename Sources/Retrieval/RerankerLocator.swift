import Foundation
import Numerics
import TextModels

/// Finds Memoir's domain reranker: an explicit path (a `--reranker` flag), then `MEMOIR_RERANKER_DIR`,
/// then `$MEMOIR_HOME/models/reranker-minilm-adni`, which `Scripts/setup.sh` links to the repository's
/// `Models/reranker-minilm-adni` (fine-tuned tensors only; `CrossEncoder` merges them over all-MiniLM-L6-v2).
public enum RerankerLocator {
    public static let environmentVariable = "MEMOIR_RERANKER_DIR"
    public static let fetchHint = "Run Scripts/setup.sh (links Models/reranker-minilm-adni), or pass --reranker DIR, or set MEMOIR_RERANKER_DIR."

    public static let location = ModelDirectory(flag: "--reranker", environmentVariable: environmentVariable,
                                         defaultSubpath: "models/reranker-minilm-adni", requiredFiles: ["config.json", "model.safetensors"])

    public static var defaultDirectory: String { location.defaultDirectory() }

    /// The reranker directory, checked to hold `config.json` and `model.safetensors`.
    public static func directory(explicit: String? = nil) throws -> String {
        try ModelLocator.resolve(location, explicit: explicit, hint: fetchHint)
    }
}
