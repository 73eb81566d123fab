/// Why a safetensors file could not be used; every case names the file.
public enum SafeTensorsError: Error, CustomStringConvertible, Equatable {
    case tooSmall(path: String, bytes: Int)
    case headerOutOfBounds(path: String, headerLength: UInt64, fileSize: Int)
    case malformedHeader(path: String, reason: String)
    case badEntry(path: String, tensor: String, reason: String)
    case truncated(path: String, tensor: String, end: Int, available: Int)
    case overlapping(path: String, first: String, second: String)
    case missingTensor(path: String, tensor: String)
    case notFloatingPoint(path: String, tensor: String, dtype: String)
    case shapeMismatch(path: String, tensor: String, expected: [Int], actual: [Int])

    public var description: String {
        switch self {
        case let .tooSmall(path, bytes):
            "\(path): \(bytes) bytes is too small to be a safetensors file (needs an 8-byte header length)"
        case let .headerOutOfBounds(path, length, size):
            "\(path): header claims \(length) bytes but the file has only \(size) (truncated or not safetensors)"
        case let .malformedHeader(path, reason):
            "\(path): malformed safetensors header: \(reason)"
        case let .badEntry(path, tensor, reason):
            "\(path): tensor '\(tensor)': \(reason)"
        case let .truncated(path, tensor, end, available):
            "\(path): tensor '\(tensor)' ends at byte \(end) of the data section but only \(available) bytes are present (file truncated?)"
        case let .overlapping(path, first, second):
            "\(path): tensors '\(first)' and '\(second)' overlap in the data section"
        case let .missingTensor(path, tensor):
            "\(path): no tensor named '\(tensor)'"
        case let .notFloatingPoint(path, tensor, dtype):
            "\(path): tensor '\(tensor)' has dtype \(dtype), expected F32, F16, BF16 or F64"
        case let .shapeMismatch(path, tensor, expected, actual):
            "\(path): tensor '\(tensor)' has shape \(actual), expected \(expected)"
        }
    }
}
