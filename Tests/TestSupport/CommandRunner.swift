import Foundation
import Numerics

/// Runs the real `memoir` executable, as a user would, and captures its output.
public enum CommandRunner {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
        public var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// The built `memoir` binary beside the test bundle (same build configuration).
    public static var executable: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("memoir").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return Fixtures.repositoryRoot + "/.build/debug/memoir"
    }

    /// Runs `memoir arguments` in `currentDirectory` (default: the test process's), with the `unsetting` variables
    /// removed from this process's and `environment` added.
    public static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
                           unsetting: [String] = [], currentDirectory: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for k in unsetting { env[k] = nil }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        let errData = Locked(Data())
        group.enter()
        DispatchQueue.global().async { errData.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() }; group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self))
    }
}
