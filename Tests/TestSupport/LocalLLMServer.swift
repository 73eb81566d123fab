import Foundation

/// The real local LLM for end-to-end tests: $MEMOIR_LLM_URL, one already started by llm.sh (left
/// running), or SmolLM2 started here. Suites running side by side share one server: it is started by
/// the first `acquire` and stopped when the last user calls `release`.
public struct LocalServer: Sendable {
    public let url: String
    let startedHere: Bool

    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: LocalServer?
    nonisolated(unsafe) private static var users = 0

    public static func acquire() throws -> LocalServer {
        try lock.withLock {
            if let shared {
                users += 1
                return shared
            }
            let server = try start()
            shared = server
            users = 1
            return server
        }
    }

    private static func start() throws -> LocalServer {
        if let url = ProcessInfo.processInfo.environment["MEMOIR_LLM_URL"], !url.isEmpty {
            return LocalServer(url: url, startedHere: false)
        }
        if let running = try? launcher(["url"]), running.status == 0 {
            return LocalServer(url: running.stdout.trimmingCharacters(in: .whitespacesAndNewlines), startedHere: false)
        }
        let started = try launcher(["start", "smollm2"])
        guard started.status == 0 else {
            throw LaunchError(message: "could not start the SmolLM2 server with `bash Scripts/llm.sh start smollm2` "
                + "(install it with `bash Scripts/llm.sh install smollm2`, or set MEMOIR_SKIP_LLM_TESTS=1 to skip):\n"
                + started.stderr)
        }
        return LocalServer(url: started.stdout.trimmingCharacters(in: .whitespacesAndNewlines), startedHere: true)
    }

    public func release() {
        Self.lock.withLock {
            Self.users -= 1
            guard Self.users == 0 else { return }
            Self.shared = nil
            if startedHere { _ = try? Self.launcher(["stop"]) }
        }
    }

    public struct LaunchError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    static func launcher(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Fixtures.repositoryRoot + "/Scripts/llm.sh"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The launcher's output is a few lines; the server it starts holds neither pipe.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
