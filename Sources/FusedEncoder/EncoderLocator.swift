import Foundation
import Numerics

/// Finds the fused encoder directory: an explicit path (an `--encoder` flag), then the
/// `MEMOIR_ENCODER_DIR` environment variable, then `$MEMOIR_HOME/models/fused-encoder`
/// (MEMOIR_HOME defaults to `~/.cache/memoir`), which `Scripts/setup.sh` links to the shipped
/// `Models/fused-encoder-w16`.
public enum EncoderLocator {
    public static let environmentVariable = "MEMOIR_ENCODER_DIR"
    public static let fetchHint = """
        Run Scripts/setup.sh (it links the shipped Models/fused-encoder-w16 there), or pass --encoder DIR \
        (a directory with config.json and model.safetensors, e.g. Models/fused-encoder-w16 or the output of \
        Training/train_encoder.py --out DIR), or set MEMOIR_ENCODER_DIR.
        """

    public static let location = ModelDirectory(flag: "--encoder", environmentVariable: environmentVariable,
                                         defaultSubpath: "models/fused-encoder",
                                         requiredFiles: [FusedEncoder.configFile, FusedEncoder.weightsFile])

    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        location.defaultDirectory(environment)
    }

    /// The directory to load, checked to hold config.json and model.safetensors.
    public static func directory(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        switch location.resolve(explicit: explicit, environment: environment) {
        case let .success(directory): return directory
        case let .failure(.notFound(candidate, origin)): throw EncoderError.encoderNotFound(path: candidate, origin: origin, hint: fetchHint)
        case let .failure(.missingFile(path)): throw EncoderError.missingFile(path: path, hint: fetchHint)
        }
    }

    /// Locates and loads the encoder.
    public static func load(explicit: String? = nil) throws -> FusedEncoder {
        try FusedEncoder(directory: try directory(explicit: explicit))
    }
}
