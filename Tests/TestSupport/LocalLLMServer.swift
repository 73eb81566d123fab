import Foundation
import TestSupport

/// A running server for the test: $MEMOIR_LLM_URL, one already started by llm.sh (left
/// running), or one started here (stopped in `release`).
struct LocalServer {
    let url: String
    let startedHere: Bool

    static func acquire() throws -> LocalServer {
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

    func release() {
        if startedHere { _ = try? Self.launcher(["stop"]) }
    }

    struct LaunchError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
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
