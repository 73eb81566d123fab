import Application
import Foundation

/// Writes one compact JSON object per line on standard output, for scripting, with the snake_case keys
/// of every `--json` and the HTTP API (`SnakeCaseJSON`).
enum JSONLines {
    static func emit<T: Encodable>(_ value: T) throws {
        var data = try SnakeCaseJSON.encoder().encode(value)
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }
}
