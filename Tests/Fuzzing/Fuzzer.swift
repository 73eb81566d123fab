import Foundation
import Imaging

/// The fuzz loop shared by the `FuzzTests` suite and `memoir-bench fuzz`. Case `i` of seed `s` is
/// reproducible on its own (its generator is seeded from `s` and `i`), and each input is written to
/// `directory/<format file name>` before it is parsed, so after a crash that file is the reproducer.
public struct Fuzzer {
    public let format: FuzzFormat
    public let seed: UInt64
    public let directory: String
    let seeds: [Data]

    public init(format: FuzzFormat, seed: UInt64, directory: String) throws {
        self.format = format
        self.seed = seed
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        seeds = try FuzzCorpus.seeds(format, scratch: directory)
    }

    public var inputPath: String { directory + "/" + format.fileName }

    /// The input of case `index`: a mutated seed (gzip cases mutate the NIfTI inside or the stream itself).
    public func input(_ index: Int) throws -> Data {
        var mutator = FuzzMutator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
        let base = mutator.pick(seeds)
        switch format {
        case .nifti:
            return mutator.mutateBinary(base, fields: FuzzMutator.niftiFields)
        case .niftiGzip:
            if mutator.below(2) == 0 { return mutator.mutateBinary(base) }
            let inner = try GzipCodec.inflateFile(at: try write(base, to: directory + "/inner.gz"))
            return try GzipCodec.deflate(mutator.mutateBinary(inner, fields: FuzzMutator.niftiFields), level: 1)
        case .safetensors:
            // Half the cases edit the JSON header as text (keeping the length prefix consistent or not).
            guard base.count > 8, mutator.below(2) == 0 else { return mutator.mutateBinary(base) }
            let length = Int(base.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            let header = mutator.mutateJSON(base.subdata(in: 8..<8 + length))
            var out = Data()
            let declared = mutator.below(8) == 0 ? UInt64(length) : UInt64(header.count)
            withUnsafeBytes(of: declared.littleEndian) { out.append(contentsOf: $0) }
            return out + header + base.dropFirst(8 + length)
        case .bertConfig, .encoderConfig:
            return mutator.mutateJSON(base)
        case .cohortCSV, .adnimergeCSV:
            return mutator.mutateCSV(base)
        case .qaJSONL:
            // Half the cases edit one line's JSON, half edit the file line by line.
            guard mutator.below(2) == 0 else { return mutator.mutateCSV(base) }
            var lines = String(decoding: base, as: UTF8.self).components(separatedBy: "\n")
            let l = mutator.below(lines.count)
            lines[l] = String(decoding: mutator.mutateJSON(Data(lines[l].utf8)), as: UTF8.self)
            return Data(lines.joined(separator: "\n").utf8)
        }
    }

    @discardableResult
    func write(_ data: Data, to path: String) throws -> String {
        // A fresh inode each time: rewriting the last case's file in place waits for its writeback.
        try? FileManager.default.removeItem(atPath: path)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs cases `start..<start + count`; `progress` sees each finished index and outcome.
    public func run(cases count: Int, start: Int = 0, progress: (Int, FuzzOutcome) -> Void = { _, _ in }) throws -> FuzzReport {
        var report = FuzzReport(format: format, seed: seed)
        let began = Date()
        for index in start..<start + count {
            let bytes = try input(index)
            try write(bytes, to: inputPath)
            let outcome = FuzzTarget.run(format, path: inputPath, bytes: bytes)
            report.cases += 1
            switch outcome {
            case .accepted: report.accepted += 1
            case .refused: report.refused += 1
            case let .untyped(message): report.failures.append((index, message))
            }
            progress(index, outcome)
        }
        report.seconds = Date().timeIntervalSince(began)
        return report
    }
}
