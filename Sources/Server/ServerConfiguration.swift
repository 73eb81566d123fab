import Foundation

/// How `memoir serve` listens and what it lets through. Safe by default: loopback only, and any other
/// address only with a token.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests); the bound port is reported once listening.
    public var port = 8765
    /// Required on every API call when set; required to be set when `host` is not a loopback address.
    public var token: String?
    /// Largest request body accepted (the ask and retrieve bodies are a few hundred bytes).
    public var maxBodyBytes = 64 * 1024
    /// Requests per second per client address, with bursts up to `rateBurst`; 0 turns the limit off.
    public var rateLimit = 100.0
    public var rateBurst = 400.0

    public static let tokenVariable = "MEMOIR_SERVE_TOKEN"
    /// Shorter tokens are refused: they can be guessed.
    public static let minimumTokenLength = 16

    public init() {}

    public var bindsLoopback: Bool { Self.isLoopback(host) }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }

    /// The configuration, or why the server must not start with it.
    public func validated() throws -> ServerConfiguration {
        guard (0...65_535).contains(port) else { throw ServerError.configuration("--port must lie in 0…65535, got \(port)") }
        guard maxBodyBytes > 0, rateLimit >= 0, rateBurst >= 1 else { throw ServerError.configuration("limits must be positive") }
        if let token, token.count < Self.minimumTokenLength {
            throw ServerError.configuration("the token must be at least \(Self.minimumTokenLength) characters")
        }
        if !bindsLoopback, token == nil {
            throw ServerError.configuration("binding \(host) exposes the API beyond this machine: give a token with --token-file PATH "
                + "or \(Self.tokenVariable), or bind 127.0.0.1")
        }
        return self
    }

    /// The token from `--token-file` (its first line), else `$MEMOIR_SERVE_TOKEN`, else none.
    public static func token(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let file {
            let attributes = try? FileManager.default.attributesOfItem(atPath: file)
            guard attributes?[.type] as? FileAttributeType == .typeRegular, (attributes?[.size] as? Int ?? 0) <= 4_096,
                  let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ServerError.configuration("cannot read a token from \(file) (a small text file is expected)")
            }
            let line = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard !line.isEmpty else { throw ServerError.configuration("\(file) holds no token") }
            return line
        }
        return environment[tokenVariable].flatMap { $0.isEmpty ? nil : $0 }
    }
}
