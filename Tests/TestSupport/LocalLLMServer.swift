import Foundation
import Numerics

/// The real local LLM for end-to-end tests: $MEMOIR_LLM_URL, one already started by llm.sh (left
/// running), or SmolLM2 started here. Suites running side by side share one server: it is started by
/// the first `acquire` and stopped when the last user calls `release`.
public struct LocalServer: Sendable {
    public let url: String
    /// $MEMOIR_LLM_API_KEY, else the key llm.sh generated for its server (`llm.sh key`).
    public let apiKey: String?
    let startedHere: Bool

    /// The server the suites share and how many hold it.
    private static let sharing = Locked<(server: LocalServer?, users: Int)>((nil, 0))

    /// `currentDirectory`: where the launcher runs if this call starts the server (default: a fresh temporary
    /// folder), as a user would start it from their own folder; a server already running is used as it is.
    public static func acquire(currentDirectory: String? = nil) throws -> LocalServer {
        try sharing.withLock { state in
            if let server = state.server {
                state.users += 1
                return server
            }
            let server = try start(currentDirectory: currentDirectory)
            state = (server, 1)
            return server
        }
    }

    private static func start(currentDirectory: String?) throws -> LocalServer {
        let environmentKey = ProcessInfo.processInfo.environment["MEMOIR_LLM_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if let url = ProcessInfo.processInfo.environment["MEMOIR_LLM_URL"], !url.isEmpty {
            return LocalServer(url: url, apiKey: environmentKey, startedHere: false)
        }
        func launcherKey() -> String? {
            guard let key = try? launcher(["key"], currentDirectory: currentDirectory), key.status == 0 else { return nil }
            return key.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let running = try? launcher(["url"], currentDirectory: currentDirectory), running.status == 0 {
            return LocalServer(url: running.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                               apiKey: environmentKey ?? launcherKey(), startedHere: false)
        }
        // One llama.cpp thread unless asked otherwise: suites run in parallel beside it, and its
        // spinning threads lose their cores to them (llm.sh's default is every core).
        let started = try launcher(["start", "smollm2"], environment: ["MEMOIR_LLM_THREADS": "1"], currentDirectory: currentDirectory)
        guard started.status == 0 else {
            throw LaunchError(message: "could not start the SmolLM2 server with `bash Scripts/llm.sh start smollm2` "
                + "(install it with `bash Scripts/llm.sh install smollm2`, or set MEMOIR_SKIP_LLM_TESTS=1 to skip):\n"
                + started.stderr)
        }
        return LocalServer(url: started.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                           apiKey: environmentKey ?? launcherKey(), startedHere: true)
    }

    public func release() {
        Self.sharing.withLock { state in
            state.users -= 1
            guard state.users == 0 else { return }
            state.server = nil
            if startedHere { _ = try? Self.launcher(["stop"]) }
        }
    }

    public struct LaunchError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// `environment` adds variables the caller's environment does not already set. The launcher runs in
    /// `currentDirectory` (default: a fresh temporary folder), as from any folder a user would be in.
    public static func launcher(_ arguments: [String], environment: [String: String] = [:],
                                currentDirectory: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let scratch = currentDirectory == nil ? try TemporaryFolder() : nil
        let process = Process()
        process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory ?? scratch?.path ?? "/")
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Fixtures.repositoryRoot + "/Scripts/llm.sh"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { inherited, _ in inherited }
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
