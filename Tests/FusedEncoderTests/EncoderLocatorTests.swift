import Foundation
import FusedEncoder
import Testing
import TestSupport

/// --encoder, then $MEMOIR_ENCODER_DIR, then $MEMOIR_HOME/models/fused-encoder; failures say how to get one.
@Suite struct EncoderLocatorTests {
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    func encoderDirectory(_ name: String, files: [String] = ["config.json", "model.safetensors"]) throws -> String {
        let path = dir + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for f in files { FileManager.default.createFile(atPath: path + "/" + f, contents: Data()) }
        return path
    }

    @Test func resolvesInOrderFlagEnvironmentHome() throws {
        let flag = try encoderDirectory("flag"), env = try encoderDirectory("env")
        _ = try encoderDirectory("home/models/fused-encoder")
        let environment = ["MEMOIR_ENCODER_DIR": env, "MEMOIR_HOME": dir + "/home"]
        #expect(try EncoderLocator.directory(explicit: flag, environment: environment) == flag)
        #expect(try EncoderLocator.directory(environment: environment) == env)
        #expect(try EncoderLocator.directory(environment: ["MEMOIR_ENCODER_DIR": "", "MEMOIR_HOME": dir + "/home"])
            == dir + "/home/models/fused-encoder")
        #expect(EncoderLocator.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.cache/memoir/models/fused-encoder")
    }

    @Test func missingDirectoryOrFileIsExplained() throws {
        let absent = #expect(throws: EncoderError.self) { try EncoderLocator.directory(environment: ["MEMOIR_HOME": dir + "/none"]) }
        let text = "\(absent!)"
        #expect(text.contains(dir + "/none/models/fused-encoder (default location)") && text.contains("Scripts/setup.sh")
            && text.contains("--encoder DIR") && text.contains("MEMOIR_ENCODER_DIR"))
        let partial = try encoderDirectory("partial", files: ["config.json"])
        let missing = #expect(throws: EncoderError.self) { try EncoderLocator.directory(explicit: partial, environment: [:]) }
        #expect(missing == .missingFile(path: partial + "/model.safetensors", hint: EncoderLocator.fetchHint))
    }
}
