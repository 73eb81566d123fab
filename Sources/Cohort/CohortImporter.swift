import Foundation
import Imaging
import Numerics

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

    /// A validated cohort, ready to be stored in one transaction.
    public struct Imported: Sendable {
        public var cases: [StoredCase]
        /// The CSV's standardised path, recorded with the cohort.
        public var source: String
        public var splitSeed: UInt64
        public var summary: Summary
    }

    /// Validates the CSV and reads every volume (in parallel) before anything is stored, so a bad file
    /// aborts the ingest with nothing written. `progress(done, total)` is called as volumes are checked.
    public func read(csvPath: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> Imported {
        let records = try CohortCSV.read(path: csvPath)
        let file = (csvPath as NSString).lastPathComponent
        let measured = try measureAll(records, file: file, progress: progress)
        let splits = StratifiedSplit.assign(records, testFraction: testFraction, seed: splitSeed)
        let cases = zip(records, measured).map { record, measures in
            StoredCase(record: record, split: splits[record.subjectID]!, measures: measures,
                       caption: CaptionWriter.caption(record, measures: measures))
        }
        var byDiagnosis: [String: Int] = [:]
        for r in records { byDiagnosis[r.diagnosis.rawValue, default: 0] += 1 }
        let summary = Summary(subjects: cases.count, train: cases.filter { $0.split == .train }.count,
                              test: cases.filter { $0.split == .test }.count, withT1: records.filter { $0.t1Path != nil }.count,
                              withFA: records.filter { $0.faPath != nil }.count, byDiagnosis: byDiagnosis)
        return Imported(cases: cases, source: (csvPath as NSString).standardizingPath, splitSeed: splitSeed, summary: summary)
    }

    private func measureAll(_ records: [CaseRecord], file: String,
                            progress: @escaping @Sendable (Int, Int) -> Void) throws -> [ImageMeasures] {
        let rows = Array(zip(records, records.indices.map { $0 + 2 }))
        let results = Parallel.map(rows, memoryPerItem: Self.memoryPerCase, progress: progress) { (record, row) throws(CohortError) in
            do { return try Self.measure(record, row: row, file: file) } catch {
                throw error as? CohortError ?? .unreadable(file: file, reason: "\(error)")
            }
        }
        // Report the first bad row in file order, whatever order the threads finished in.
        return try results.map { result throws(CohortError) in try result.get() }
    }

    /// One case's working set while measured: a NIfTI volume as read and conformed to MNI 2 mm, twice
    /// over for the T1 and FA images, with room for decompression buffers (an estimate, generous).
    static let memoryPerCase = 256 << 20

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
