import Foundation
import Fuzzing
import Testing
import TestSupport

/// Bounded seeded fuzzing for CI: MEMOIR_FUZZ_CASES (default 300 per format) and MEMOIR_FUZZ_SEED
/// (default 1) scale it up; `memoir-bench fuzz` runs the same loop for long sessions.
@Suite struct FuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let cases = environment["MEMOIR_FUZZ_CASES"].flatMap(Int.init) ?? 300
    static let seed = environment["MEMOIR_FUZZ_SEED"].flatMap(UInt64.init) ?? 1

    @Test(arguments: FuzzFormat.allCases)
    func mutatedInputsParseOrThrowTypedErrors(format: FuzzFormat) throws {
        let folder = try TemporaryFolder(), dir = folder.path
        let report = try Fuzzer(format: format, seed: Self.seed, directory: dir).run(cases: Self.cases)
        print(report)
        #expect(report.failures.isEmpty, "\(report.failures.prefix(5).map { "case \($0.index): \($0.message)" })")
        #expect(report.cases == Self.cases && report.accepted + report.refused + report.failures.count == report.cases)
        // The mutations must reach the error paths, and leave some inputs valid (not only trivially broken).
        #expect(report.refused > 0)
        #expect(report.accepted > 0 || Self.cases < 50, "no mutated \(format.rawValue) input was accepted")
    }

    /// Every seed is accepted as is, so the mutations start from inputs that pass every check.
    @Test(arguments: FuzzFormat.allCases)
    func seedsAreAccepted(format: FuzzFormat) throws {
        let folder = try TemporaryFolder(), dir = folder.path
        let fuzzer = try Fuzzer(format: format, seed: 1, directory: dir)
        for (n, seed) in try FuzzCorpus.seeds(format, scratch: dir).enumerated() {
            try seed.write(to: URL(fileURLWithPath: fuzzer.inputPath))
            #expect(FuzzTarget.run(format, path: fuzzer.inputPath, bytes: seed) == .accepted, "\(format.rawValue) seed \(n)")
        }
    }

    @Test func casesAreReproducibleFromSeedAndIndex() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        let a = try Fuzzer(format: .nifti, seed: 7, directory: dir + "/a"), b = try Fuzzer(format: .nifti, seed: 7, directory: dir + "/b")
        #expect(try (0..<20).map(a.input) == (0..<20).map(b.input))
        let other = try Fuzzer(format: .nifti, seed: 8, directory: dir + "/c")
        #expect(try (0..<20).map(a.input) != (0..<20).map(other.input))
    }

    @Test func outcomesAreClassified() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        // A directory where a file should be is a typed refusal, not a crash or an untyped error.
        #expect(FuzzTarget.run(.bertConfig, path: dir, bytes: Data()) == .refused)
        #expect(FuzzTarget.run(.nifti, path: dir, bytes: Data()) == .refused)
    }
}
