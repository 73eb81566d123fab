import Foundation

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

    public static func memoirHome(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = env["MEMOIR_HOME"], !home.isEmpty { return home }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.cache/memoir"
    }

    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        memoirHome(environment: environment) + "/models/fused-encoder"
    }

    /// The directory to load, checked to hold config.json and model.safetensors.
    public static func directory(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let env = environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let (candidate, origin): (String, String) =
            if let explicit { (explicit, "--encoder") } else if let env { (env, environmentVariable) } else { (defaultDirectory(environment: environment), "default location") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EncoderError.encoderNotFound(path: candidate, origin: origin, hint: fetchHint)
        }
        for file in [FusedEncoder.configFile, FusedEncoder.weightsFile] where !FileManager.default.fileExists(atPath: candidate + "/" + file) {
            throw EncoderError.missingFile(path: candidate + "/" + file, hint: fetchHint)
        }
        return candidate
    }

    /// Locates and loads the encoder.
    public static func load(explicit: String? = nil) throws -> FusedEncoder {
        try FusedEncoder(directory: try directory(explicit: explicit))
    }
}
