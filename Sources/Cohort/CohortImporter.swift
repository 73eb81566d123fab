import Foundation
import Imaging
import Numerics

/// `memoir ingest`: validates a cohort table and its volumes, then stores everything in one transaction.
/// Two table formats, told apart by their columns: the one-row-per-subject cohort CSV, and ADNIMERGE as
/// downloaded (a `VISCODE` column; one row per visit, volumes joined from an image map).
public struct CohortImporter: Sendable {
    public var splitSeed: UInt64 = 2363
    public var testFraction = 0.2
    /// Which visits of a longitudinal table become cases.
    public var visits: VisitSelection = .baseline
    /// The image map of a longitudinal table (PTID, VISCODE, T1_PATH, FA_PATH).
    public var imageMapPath: String?
    /// Accept volumes that fail the registration check, marking their cases, instead of refusing them.
    public var allowUnregistered = false
    /// Where the MNI152 templates for the registration check are.
    public var templatesDirectory: String = AnatomyTemplates.defaultDirectory

    public init(splitSeed: UInt64 = 2363, testFraction: Double = 0.2, visits: VisitSelection = .baseline, imageMapPath: String? = nil,
                allowUnregistered: Bool = false, templatesDirectory: String = AnatomyTemplates.defaultDirectory) {
        self.splitSeed = splitSeed
        self.testFraction = testFraction
        self.visits = visits
        self.imageMapPath = imageMapPath
        self.allowUnregistered = allowUnregistered
        self.templatesDirectory = templatesDirectory
    }

    public struct Summary: Sendable, Codable {
        public var subjects: Int
        public var train: Int
        public var test: Int
        public var withT1: Int
        public var withFA: Int
        public var byDiagnosis: [String: Int]
        /// "cohort-csv", "adnimerge" or "bids".
        public var format: String?
        /// Cases (subject visits) stored; equals `subjects` for a one-row-per-subject table.
        public var cases: Int?
        /// Visits on record (all of them, whether or not they became cases), for longitudinal tables.
        public var visitsOnRecord: Int?
        /// Cases accepted although a volume failed the registration check.
        public var unregistered: Int?
        public var warnings: [String]?
    }

    /// A validated cohort, ready to be stored in one transaction.
    public struct Imported: Sendable {
        public var cases: [StoredCase]
        /// Every subject's visits (longitudinal tables only; empty otherwise).
        public var courses: [SubjectCourse]
        /// The CSV's standardised path, recorded with the cohort.
        public var source: String
        public var splitSeed: UInt64
        public var summary: Summary
    }

    /// Where a case's volumes were named, for messages: the file and its row.
    struct Origin: Sendable { var file: String; var row: Int }

    /// Validates the table and reads every volume (in parallel) before anything is stored, so a bad file
    /// aborts the ingest with nothing written. `progress(done, total)` is called as volumes are checked.
    public func read(csvPath: String, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> Imported {
        let text = try CohortCSV.text(path: csvPath)
        let file = (csvPath as NSString).lastPathComponent
        let longitudinal = CohortCSV.header(of: text).map(ADNIMergeCSV.isLongitudinal(header:)) ?? false
        var records: [CaseRecord], origins: [Origin], courses: [SubjectCourse] = [], warnings: [String] = []
        var visitsOnRecord: Int?
        if longitudinal {
            let all = try ADNIMergeCSV.parse(text, path: csvPath)
            let mapFile = imageMapPath.map { ($0 as NSString).lastPathComponent } ?? "image map"
            let map = try imageMapPath.map(ImageMapCSV.read(path:)) ?? [:]
            let cohort = try LongitudinalCohort.build(visits: all, imageMap: map, selection: visits, file: file, mapFile: mapFile)
            records = cohort.records
            courses = cohort.courses
            warnings = cohort.warnings
            visitsOnRecord = all.count
            origins = records.map { r in
                let key = (r.visit?.subjectID ?? r.subjectID) + "|" + (r.visit?.code ?? "bl")
                return map[key].map { Origin(file: mapFile, row: $0.row) } ?? Origin(file: file, row: 0)
            }
        } else {
            guard imageMapPath == nil else {
                throw CohortError.unreadable(file: file, reason: "an image map goes with a longitudinal table (ADNIMERGE, with a VISCODE column); this cohort CSV names its volumes itself")
            }
            guard visits == .baseline else {
                throw CohortError.unreadable(file: file, reason: "--visit \(visits.rawValue) needs a longitudinal table (ADNIMERGE, with a VISCODE column); this cohort CSV has one row per subject")
            }
            records = try CohortCSV.parse(text, path: csvPath)
            origins = records.indices.map { Origin(file: file, row: $0 + 2) }
        }
        return try finish(records: records, origins: origins, courses: courses, warnings: warnings, visitsOnRecord: visitsOnRecord,
                          format: longitudinal ? "adnimerge" : "cohort-csv", source: csvPath, progress: progress)
    }

    /// Reads a BIDS dataset (`BIDSDataset`) as a longitudinal table with its image map; `visits` chooses the
    /// cases as for ADNIMERGE.
    public func read(bidsDirectory: String, columns: BIDSColumnMap = .standard,
                     progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> Imported {
        guard imageMapPath == nil else {
            throw CohortError.unreadable(file: bidsDirectory, reason: "a BIDS dataset finds its own images; an image map goes with ADNIMERGE")
        }
        let dataset = try BIDSDataset.read(root: bidsDirectory, columns: columns)
        let cohort = try LongitudinalCohort.build(visits: dataset.visits, imageMap: dataset.imageMap, selection: visits,
                                                  file: BIDSDataset.participantsFile, mapFile: BIDSDataset.participantsFile)
        let origins = cohort.records.map { r in
            Origin(file: BIDSDataset.participantsFile, row: dataset.imageMap[(r.visit?.subjectID ?? r.subjectID) + "|" + (r.visit?.code ?? "bl")]?.row ?? 0)
        }
        return try finish(records: cohort.records, origins: origins, courses: cohort.courses, warnings: dataset.warnings + cohort.warnings,
                          visitsOnRecord: dataset.visits.count, format: "bids", source: bidsDirectory, progress: progress)
    }

    /// Measures every volume (registration included), splits by subject and writes the captions.
    private func finish(records: [CaseRecord], origins: [Origin], courses: [SubjectCourse], warnings: [String], visitsOnRecord: Int?,
                        format: String, source: String, progress: @escaping @Sendable (Int, Int) -> Void) throws -> Imported {
        var warnings = warnings
        let reference = records.contains { $0.t1Path != nil || $0.faPath != nil }
            ? try RegistrationReference(directory: templatesDirectory) : nil
        var measured = try measureAll(records, origins: origins, reference: reference, progress: progress)
        var unregistered: [String] = []
        for n in measured.indices where measured[n].unregistered == true { unregistered.append(records[n].subjectID) }
        if !unregistered.isEmpty {
            warnings.append("\(unregistered.count) case(s) failed the MNI152 registration check and were accepted unregistered (--allow-unregistered), first: \(unregistered[0]); their captions say so")
        }
        let splits = StratifiedSplit.assign(records, testFraction: testFraction, seed: splitSeed)
        var cases: [StoredCase] = []
        for n in records.indices {
            guard let split = splits[records[n].subjectID] else { continue }  // assign covers every record
            cases.append(StoredCase(record: records[n], split: split, measures: measured[n],
                                    caption: CaptionWriter.caption(records[n], measures: measured[n])))
        }
        measured.removeAll()
        var byDiagnosis: [String: Int] = [:]
        for r in records { byDiagnosis[r.diagnosis.rawValue, default: 0] += 1 }
        let summary = Summary(subjects: Set(records.map(\.subject)).count, train: cases.filter { $0.split == .train }.count,
                              test: cases.filter { $0.split == .test }.count, withT1: records.filter { $0.t1Path != nil }.count,
                              withFA: records.filter { $0.faPath != nil }.count, byDiagnosis: byDiagnosis,
                              format: format, cases: cases.count, visitsOnRecord: visitsOnRecord,
                              unregistered: reference == nil ? nil : unregistered.count, warnings: warnings)
        return Imported(cases: cases, courses: courses, source: (source as NSString).standardizingPath, splitSeed: splitSeed, summary: summary)
    }

    private func measureAll(_ records: [CaseRecord], origins: [Origin], reference: RegistrationReference?,
                            progress: @escaping @Sendable (Int, Int) -> Void) throws -> [ImageMeasures] {
        let rows = Array(zip(records, origins))
        let allow = allowUnregistered
        let results = Parallel.map(rows, memoryPerItem: Self.memoryPerCase, progress: progress) { (record, origin) throws(CohortError) in
            do { return try Self.measure(record, origin: origin, reference: reference, allowUnregistered: allow) } catch {
                throw error as? CohortError ?? .unreadable(file: origin.file, reason: "\(error)")
            }
        }
        // Every bad volume is reported, in file order, whatever order the threads finished in.
        var errors = RowErrorList(file: origins.first?.file ?? "cohort")
        var out: [ImageMeasures] = []
        for result in results {
            switch result {
            case let .success(m): out.append(m)
            case let .failure(error): errors.absorb(error)
            }
        }
        try errors.throwIfAny()
        return out
    }

    /// One case's working set while measured: a NIfTI volume as read and conformed to MNI 2 mm, twice
    /// over for the T1 and FA images, with room for decompression buffers (an estimate, generous).
    static let memoryPerCase = 256 << 20

    static func measure(_ r: CaseRecord, origin: Origin, reference: RegistrationReference?, allowUnregistered: Bool) throws -> ImageMeasures {
        var m = ImageMeasures()
        var errors = RowErrorList(file: origin.file)
        if let t1 = r.t1Path {
            let volume = try load(t1, origin: origin, field: "T1_PATH")
            m.brainParenchymalFraction = ImageMeasures.brainParenchymalFraction(t1: volume)
            m.t1Registration = reference?.score(volume, isFA: false)
        }
        if let fa = r.faPath {
            let volume = try load(fa, origin: origin, field: "FA_PATH")
            guard volume.voxels.allSatisfy({ $0 >= -1e-3 && $0 <= 1.001 }) else {
                throw CohortError.image(file: origin.file, row: origin.row, field: "FA_PATH", reason: "\(fa): FA values must lie in 0…1")
            }
            m.whiteMatterFA = ImageMeasures.whiteMatterFA(fa: volume)
            m.faRegistration = reference?.score(volume, isFA: true)
        }
        guard reference != nil, r.t1Path != nil || r.faPath != nil else { return m }
        for (field, path, score) in [("T1_PATH", r.t1Path, m.t1Registration), ("FA_PATH", r.faPath, m.faRegistration)] {
            guard let path, let score, !score.passes else { continue }
            errors.add(.image(file: origin.file, row: origin.row, field: field, reason: Self.unregisteredMessage(path, score)))
        }
        m.unregistered = !errors.isEmpty
        if !allowUnregistered { try errors.throwIfAny() }
        return m
    }

    /// A volume's measures without the registration check (the quality gate and grid checks only).
    static func measure(_ r: CaseRecord, row: Int, file: String) throws -> ImageMeasures {
        try measure(r, origin: Origin(file: file, row: row), reference: nil, allowUnregistered: false)
    }

    static func unregisteredMessage(_ path: String, _ s: RegistrationScore) -> String {
        "\(path): does not look registered to MNI152 2 mm space (\(s.summary); at least "
            + "\(RegistrationScore.format(RegistrationScore.minimumOverlap)) and \(RegistrationScore.format(s.minimumCorrelation)) expected). "
            + "Register it first (FSL FLIRT/FNIRT to MNI152_T1_2mm, ANTs antsRegistration, or SPM Normalise), "
            + "or pass --allow-unregistered to accept it with a warning that follows the case"
    }

    static func load(_ path: String, origin: Origin, field: String) throws -> NIfTIVolume {
        do {
            let volume = try NIfTIVolume.read(path: path)
            let conformed = try Resampler.conform(volume, to: .mni2mm, path: path)
            try VolumeQuality.check(volume, path: path)  // after the grid check, so a wrong grid is named first
            return conformed
        } catch let error as NIfTIError {
            throw CohortError.image(file: origin.file, row: origin.row, field: field, reason: error.description)
        }
    }
}
