/// Why the fused encoder could not be loaded or run. Every case names the file, tensor or case
/// involved and, where it helps, what to do about it.
public enum EncoderError: Error, CustomStringConvertible, Equatable {
    case missingFile(path: String, hint: String)
    case encoderNotFound(path: String, origin: String, hint: String)
    case invalidConfig(path: String, reason: String)
    case missingTensor(name: String, path: String)
    case tensorShape(name: String, path: String, expected: [Int], actual: [Int])
    case tensorType(name: String, path: String, dtype: String)
    case volumeShape(path: String, shape: [Int], expected: [Int])
    case noModality(subject: String, requested: String, reason: String)
    case invalidInput(String)
    case cache(String)

    public var description: String {
        switch self {
        case let .missingFile(path, hint):
            "missing encoder file \(path). \(hint)"
        case let .encoderNotFound(path, origin, hint):
            "no fused encoder directory at \(path) (\(origin)). \(hint)"
        case let .invalidConfig(path, reason):
            "\(path): invalid encoder config: \(reason)"
        case let .missingTensor(name, path):
            "\(path): encoder tensor '\(name)' is missing (was the checkpoint exported with Training/memoir_encoder/model.py's export?)"
        case let .tensorShape(name, path, expected, actual):
            "\(path): encoder tensor '\(name)' has shape \(actual), expected \(expected) (does config.json match the checkpoint?)"
        case let .tensorType(name, path, dtype):
            "\(path): encoder tensor '\(name)' has dtype \(dtype); expected F32 or F16"
        case let .volumeShape(path, shape, expected):
            "\(path): volume shape \(shape) does not match the encoder's input_shape \(expected)"
                + (expected == [91, 109, 91] ? "" : " (only MNI 2 mm configs, input_shape [91, 109, 91], resample other grids)")
        case let .noModality(subject, requested, reason):
            "case \(subject): nothing to encode for modalities [\(requested)]: \(reason)"
        case let .invalidInput(reason):
            "encoder input: \(reason)"
        case let .cache(reason):
            "embedding cache: \(reason)"
        }
    }
}
