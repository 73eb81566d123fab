import Foundation
import Imaging

/// `memoir ingest`: validates a cohort CSV and its volumes, then stores everything in one transaction.
public struct CohortImporter: Sendable {
    public var splitSeed: UInt64 = 2363
    public var testFraction = 0.2

    public init(splitSeed: UInt64 = 2363, testFraction: Double = 0.2) {
        self.splitSeed = splitSeed
        self.testFraction = testFraction
    }

    public struct Summary: Sendable, Codable {
        public var subjects: Int
        public var train: Int
        public var test: Int
        public var withT1: Int
        public var withFA: Int
        public var byDiagnosis: [String: Int]
    }

    /// Reads every volume (in parallel) before touching the database, so a bad file aborts the ingest
    /// with nothing written. `progress(done, total)` is called as volumes are checked.
    public func ingest(csvPath: String, into store: CaseStore,
                       progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> Summary {
        let records = try CohortCSV.read(path: csvPath)
        let file = (csvPath as NSString).lastPathComponent
        let measured = try measureAll(records, file: file, progress: progress)
        let splits = StratifiedSplit.assign(records, testFraction: testFraction, seed: splitSeed)
        let cases = zip(records, measured).map { record, measures in
            StoredCase(record: record, split: splits[record.subjectID]!, measures: measures,
                       caption: CaptionWriter.caption(record, measures: measures))
        }
        try store.replaceCohort(cases, source: (csvPath as NSString).standardizingPath, splitSeed: splitSeed)
        var byDiagnosis: [String: Int] = [:]
        for r in records { byDiagnosis[r.diagnosis.rawValue, default: 0] += 1 }
        return Summary(subjects: cases.count, train: cases.filter { $0.split == .train }.count,
                       test: cases.filter { $0.split == .test }.count, withT1: records.filter { $0.t1Path != nil }.count,
                       withFA: records.filter { $0.faPath != nil }.count, byDiagnosis: byDiagnosis)
    }

    private func measureAll(_ records: [CaseRecord], file: String,
                            progress: @escaping @Sendable (Int, Int) -> Void) throws -> [ImageMeasures] {
        let results = ResultSlots<Result<ImageMeasures, CohortError>>(count: records.count)
        let counter = ProgressCounter(total: records.count, report: progress)
        DispatchQueue.concurrentPerform(iterations: records.count) { n in
            results[n] = Result { try Self.measure(records[n], row: n + 2, file: file) }
                .mapError { $0 as? CohortError ?? .unreadable(file: file, reason: "\($0)") }
            counter.step()
        }
        // Report the first bad row in file order, whatever order the threads finished in.
        return try results.values.map { try $0!.get() }
    }

    static func measure(_ r: CaseRecord, row: Int, file: String) throws -> ImageMeasures {
        var m = ImageMeasures()
        if let t1 = r.t1Path {
            let volume = try load(t1, row: row, field: "T1_PATH", file: file)
            m.brainParenchymalFraction = ImageMeasures.brainParenchymalFraction(t1: volume)
        }
        if let fa = r.faPath {
            let volume = try load(fa, row: row, field: "FA_PATH", file: file)
            guard volume.voxels.allSatisfy({ $0 >= -1e-3 && $0 <= 1.001 }) else {
                throw CohortError.image(file: file, row: row, field: "FA_PATH", reason: "\(fa): FA values must lie in 0…1")
            }
            m.whiteMatterFA = ImageMeasures.whiteMatterFA(fa: volume)
        }
        return m
    }

    static func load(_ path: String, row: Int, field: String, file: String) throws -> NIfTIVolume {
        do {
            let volume = try NIfTIVolume.read(path: path)
            let conformed = try Resampler.conform(volume, to: .mni2mm, path: path)
            try VolumeQuality.check(volume, path: path)  // after the grid check, so a wrong grid is named first
            return conformed
        } catch let error as NIfTIError {
            throw CohortError.image(file: file, row: row, field: field, reason: error.description)
        }
    }
}

/// Fixed slots written by concurrent workers, one slot each.
final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(n: Int) -> T? {
        get { lock.withLock { storage[n] } }
        set { lock.withLock { storage[n] = newValue } }
    }
    var values: [T?] { lock.withLock { storage } }
}

/// Counts finished items across threads and forwards to a progress callback.
final class ProgressCounter: @unchecked Sendable {
    private var done = 0
    private let total: Int
    private let report: @Sendable (Int, Int) -> Void
    private let lock = NSLock()
    init(total: Int, report: @escaping @Sendable (Int, Int) -> Void) {
        self.total = total
        self.report = report
    }
    func step() {
        let now = lock.withLock { done += 1; return done }
        report(now, total)
    }
}
