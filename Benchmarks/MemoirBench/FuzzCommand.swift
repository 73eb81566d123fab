import ArgumentParser
import Foundation
import Fuzzing

/// Long fuzz runs outside the test runner. A crash ends this process; the input that caused it is
/// the file under --directory named after the format, and `--start N --cases 1` replays case N.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Seeded mutation fuzzing of an input parser: every case must parse or throw a typed error.",
        discussion: """
            Formats: \(FuzzFormat.allCases.map(\.rawValue).joined(separator: ", ")). Exits 1 when a case throws an \
            untyped error; a crash (trap) kills the process with the current input left at DIR/<file>.
            """)

    @Option(help: "Input format.") var format: String
    @Option(help: "Number of cases.") var cases = 10_000
    @Option(help: "Run seed.") var seed: UInt64 = 1
    @Option(help: "First case index (replay one case with --start N --cases 1).") var start = 0
    @Option(help: "Scratch directory (default: a new temporary one).") var directory: String?
    @Flag(help: "Print every case's index before it runs (to find the crashing case).") var verbose = false

    func validate() throws {
        guard FuzzFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(FuzzFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard cases >= 1, start >= 0 else { throw ValidationError("--cases must be ≥ 1 and --start ≥ 0") }
    }

    func run() throws {
        guard let kind = FuzzFormat(rawValue: format) else { throw ValidationError("unknown format \(format)") }
        let dir = directory ?? NSTemporaryDirectory() + "memoir-fuzz-\(kind.rawValue)-\(seed)"
        let fuzzer = try Fuzzer(format: kind, seed: seed, directory: dir)
        FileHandle.standardError.write(Data("fuzzing \(kind.rawValue), seed \(seed), cases \(start)..<\(start + cases); current input: \(fuzzer.inputPath)\n".utf8))
        let report = try fuzzer.run(cases: cases, start: start) { index, outcome in
            if verbose { FileHandle.standardError.write(Data("case \(index): \(outcome)\n".utf8)) }
            if case let .untyped(message) = outcome { print("case \(index): untyped error: \(message)") }
        }
        print(report)
        if !report.failures.isEmpty { throw ExitCode.failure }
    }
}
