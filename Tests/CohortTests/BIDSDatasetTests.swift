import Cohort
import Foundation
import Testing
import TestSupport

/// BIDS datasets: Fixtures/bids read with and without its column map, the synthetic tree read back as the
/// ADNIMERGE export it mirrors, and each broken BIDS rule named with its file.
@Suite struct BIDSDatasetTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    func visit(_ d: BIDSDataset, _ subject: String, _ code: String) throws -> LongitudinalVisit {
        try #require(d.visits.first { $0.visit.subjectID == subject && $0.visit.code == code }, "\(subject) \(code)")
    }

    @Test func theFixtureReadsWithItsColumnMap() throws {
        let map = try BIDSColumnMap.read(path: Fixtures.path("bids/column_map.json"))
        let d = try BIDSDataset.read(root: Fixtures.path("bids"), columns: map)
        // Ids from alternative_id_1; sessions from sessions.tsv (M06, M12 have no image folders) and folders.
        #expect(d.visits.map { "\($0.visit.subjectID)|\($0.visit.code)" }
                == ["941_S_0001|bl", "941_S_0001|m06", "941_S_0001|m12", "941_S_0003|bl", "941_S_0005|bl", "941_S_0005|m12"])
        let first = try visit(d, "941_S_0001", "bl")
        #expect(first.mmse == 30 && first.diagnosis == .cn && first.sex == .female && first.education == 16 && first.e4Count == 0)
        #expect(first.visit.examDate == "2005-09-08" && first.moca == 27)
        // The session's age is the age at that visit; n/a is missing.
        let m06 = try visit(d, "941_S_0001", "m06")
        #expect(m06.age == 73.0 && m06.diagnosis == nil && m06.moca == nil && m06.visit.months == 6)
        // Without sessions: one baseline visit from participants.tsv, whose age is the baseline age.
        let single = try visit(d, "941_S_0003", "bl")
        #expect(single.diagnosis == .mci && single.age == 74.0 && single.mmse == nil)
        #expect(try visit(d, "941_S_0005", "m12").diagnosis == .dementia)
        // T1w from anat/, FA from the derivatives pipeline; visits without images have no entry.
        let images = try #require(d.imageMap["941_S_0001|bl"])
        #expect(images.t1Path?.hasSuffix("sub-941S0001/ses-M00/anat/sub-941S0001_ses-M00_T1w.nii.gz") == true)
        #expect(images.faPath?.hasSuffix("derivatives/dti/sub-941S0001/ses-M00/dwi/sub-941S0001_ses-M00_space-MNI152NLin2009aSym_model-tensor_param-fa_dwimap.nii.gz") == true)
        #expect(d.imageMap["941_S_0003|bl"]?.t1Path?.hasSuffix("sub-941S0003/anat/sub-941S0003_T1w.nii.gz") == true)
        #expect(d.imageMap["941_S_0003|bl"]?.faPath == nil && d.imageMap["941_S_0001|m06"] == nil)
        #expect(d.warnings.isEmpty, "\(d.warnings)")
    }

    @Test func anUnmappedColumnIsMissingAndSaidSo() throws {
        let d = try BIDSDataset.read(root: Fixtures.path("bids"))
        #expect(try visit(d, "941_S_0001", "bl").mmse == nil)
        #expect(d.warnings.contains { $0.contains("no column for MMSE") && $0.contains("--column-map") }, "\(d.warnings)")
    }

    @Test func theSyntheticTreeReadsBackAsItsADNIMergeExport() throws {
        let subjects = SyntheticCohortGenerator(subjects: 40, seed: 5, writeImages: false).drawSubjects()
        let (visits, _) = LongitudinalSimulator.visits(for: subjects, seed: 5)
        let root = folder.file("bids")
        try BIDSWriter.write(visits, images: [:], root: root)
        let d = try BIDSDataset.read(root: root)
        #expect(d.visits.count == visits.count)
        for (a, b) in zip(visits.sorted { ($0.visit.subjectID, $0.visit.months) < ($1.visit.subjectID, $1.visit.months) },
                          d.visits.sorted { ($0.visit.subjectID, $0.visit.months) < ($1.visit.subjectID, $1.visit.months) }) {
            #expect(a.visit.subjectID == b.visit.subjectID && a.visit.code == b.visit.code && a.diagnosis == b.diagnosis
                    && a.mmse == b.mmse && a.cdrsb == b.cdrsb && a.moca == b.moca && a.e4Count == b.e4Count && a.sex == b.sex
                    && a.visit.examDate == b.visit.examDate, "\(a.visit.subjectID) \(a.visit.code)")
            #expect(abs((a.age ?? 0) - (b.age ?? 0)) <= 0.11, "age \(a.age ?? -1) vs \(b.age ?? -1)")
        }
    }

    /// A writable copy of the fixture, with its volumes linked by absolute path.
    func copy() throws -> String {
        let root = folder.file("copy")
        try FileManager.default.copyItem(atPath: Fixtures.path("bids"), toPath: root)
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        for case let relative as String in enumerator where relative.hasSuffix(".nii.gz") {
            let path = root + "/" + relative
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: path)
            let absolute = ((Fixtures.path("bids/" + relative) as NSString).deletingLastPathComponent as NSString).appendingPathComponent(target)
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: (absolute as NSString).standardizingPath)
        }
        return root
    }

    func error(_ root: String, columns: BIDSColumnMap = .standard) -> String {
        do { _ = try BIDSDataset.read(root: root, columns: columns); return "no error" } catch { return "\(error)" }
    }

    @Test func brokenBIDSRulesNameTheFile() throws {
        let fm = FileManager.default
        var root = try copy()
        try fm.removeItem(atPath: root + "/dataset_description.json")
        #expect(error(root).contains("dataset_description.json") && error(root).contains("BIDSVersion"))

        try fm.removeItem(atPath: root); root = try copy()
        try fm.createDirectory(atPath: root + "/sub-941S0009/anat", withIntermediateDirectories: true)
        #expect(error(root).contains("sub-941S0009: a subject folder with no row in participants.tsv"), "\(error(root))")

        try fm.removeItem(atPath: root); root = try copy()
        try fm.moveItem(atPath: root + "/sub-941S0003/anat/sub-941S0003_T1w.nii.gz", toPath: root + "/sub-941S0003/anat/sub-941S0005_T1w.nii.gz")
        #expect(error(root).contains("sub-941S0003/anat/sub-941S0005_T1w.nii.gz: its sub/ses entities do not match"), "\(error(root))")

        try fm.removeItem(atPath: root); root = try copy()
        try fm.moveItem(atPath: root + "/sub-941S0003/anat/sub-941S0003_T1w.nii.gz", toPath: root + "/sub-941S0003/anat/T1 scan.nii.gz")
        #expect(error(root).contains("sub-941S0003/anat/T1 scan.nii.gz: not a BIDS file name"), "\(error(root))")

        try fm.removeItem(atPath: root); root = try copy()
        try fm.createDirectory(atPath: root + "/sub-941S0003/ses-followup", withIntermediateDirectories: true)
        #expect(error(root).contains("sub-941S0003/ses-followup: the session label is not a visit"), "\(error(root))")

        // A bad value is named by its file, row and the dataset's column; every bad row at once.
        try fm.removeItem(atPath: root); root = try copy()
        let sessions = root + "/sub-941S0005/sub-941S0005_sessions.tsv"
        let text = try String(contentsOfFile: sessions, encoding: .utf8)
            .replacingOccurrences(of: "\t25\t2.5", with: "\t45\t2.5").replacingOccurrences(of: "Dementia", with: "Alzheimerish")
        try text.write(toFile: sessions, atomically: true, encoding: .utf8)
        let message = error(root, columns: try BIDSColumnMap.read(path: Fixtures.path("bids/column_map.json")))
        #expect(message.contains("sub-941S0005/sub-941S0005_sessions.tsv: row 2, field mmse_total: '45'"), "\(message)")
        #expect(message.contains("sub-941S0005/sub-941S0005_sessions.tsv: row 3, field diagnosis: 'Alzheimerish'"), "\(message)")

        try fm.removeItem(atPath: root); root = try copy()
        try "participant_id\tsex\nsubject-1\tF\n".write(toFile: root + "/participants.tsv", atomically: true, encoding: .utf8)
        #expect(error(root).contains("participants.tsv: row 2, field participant_id: 'subject-1' is not sub-<label>"), "\(error(root))")
    }

    /// A participant's measurements belong to the baseline visit; only lasting facts reach later sessions. Session
    /// labels beat a months column, VISCODE spellings are normalised, and a de-identified date is dropped.
    @Test func participantValuesAreBaselineValues() throws {
        let root = folder.file("ds")
        let fm = FileManager.default
        for dir in ["sub-01/ses-M00", "sub-01/ses-M12", "sub-02/ses-a", "sub-02/ses-b"] {
            try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        try #"{"Name": "t", "BIDSVersion": "1.9.0"}"#.write(toFile: root + "/dataset_description.json", atomically: true, encoding: .utf8)
        try "participant_id\tsex\tage\tdiagnosis\tmmse\nsub-01\tF\t70\tMCI\t26\nsub-02\tM\t75\tCN\t29\n"
            .write(toFile: root + "/participants.tsv", atomically: true, encoding: .utf8)
        try "session_id\tviscode\tmonths\tacq_time\tdiagnosis\nses-a\tbl\t0\t1925-01-01T00:00:00\tCN\nses-b\tm6\t6.2\t2013-02-01 10:00\tMCI\n"
            .write(toFile: root + "/sub-02/sub-02_sessions.tsv", atomically: true, encoding: .utf8)
        let d = try BIDSDataset.read(root: root)
        let bl = try visit(d, "01", "bl"), m12 = try visit(d, "01", "m12")
        #expect(bl.diagnosis == .mci && bl.mmse == 26 && bl.sex == .female && bl.age == 70)
        #expect(m12.diagnosis == nil && m12.mmse == nil && m12.sex == .female && m12.age == 71 && m12.visit.months == 12)
        let b = try visit(d, "02", "m06")
        #expect(b.diagnosis == .mci && b.visit.examDate == "2013-02-01" && abs(b.visit.months - 6.2) < 1e-9)
        #expect(try visit(d, "02", "bl").visit.examDate == nil)
        #expect(d.warnings.contains { $0.contains("1 session date(s)") }, "\(d.warnings)")
    }

    @Test func columnMapsAreCheckedAndNamedColumnsComeFirst() throws {
        let path = folder.file("map.json")
        try #"{"MMSE": ["mmse_total", "mmse"], "dx": "clinical_group"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let map = try BIDSColumnMap.read(path: path)
        #expect(map.candidates["MMSE"]?.prefix(3) == ["mmse_total", "mmse", "mmse"])
        #expect(map.candidates["DX"]?.first == "clinical_group")
        for bad in [#"{"SCORE": "x"}"#, #"{"MMSE": 3}"#, #"["MMSE"]"#, #"{"MMSE": ""}"#] {
            try bad.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: CohortError.self) { try BIDSColumnMap.read(path: path) }
        }
    }

    @Test(arguments: [
        ("sub-01_ses-M00_T1w.nii.gz", "T1w", false, false),
        ("sub-01_ses-M00_space-MNI152NLin2009cAsym_desc-preproc_T1w.nii.gz", "T1w", true, false),
        ("sub-01_space-MNI152NLin6Asym_model-tensor_param-fa_dwimap.nii", "dwimap", true, true),
        ("sub-01_desc-FA_dwi.nii.gz", "dwi", false, true),
        ("sub-01_FA.nii.gz", "FA", false, true),
    ])
    func fileNamesAreReadByEntities(name: String, suffix: String, mni: Bool, fa: Bool) throws {
        let parsed = try #require(BIDSFileName(name))
        #expect(parsed.suffix == suffix && parsed.isMNISpace == mni && parsed.isFA == fa && parsed.keys.first == "sub")
    }

    @Test func namesThatBreakBIDSAreNotRead() {
        for name in ["T1w.nii.gz", "sub-01_T1w.mgz", "ses-01_sub-01_T1w.nii.gz", "sub-01_ses_T1w.nii.gz", "sub-01_sub-02_T1w.nii",
                     "sub-0 1_T1w.nii.gz", "sub-01_ses-M00_T1w-x.nii.gz"] {
            #expect(BIDSFileName(name) == nil, "\(name)")
        }
    }

    @Test func sessionLabelsBecomeVisitCodes() {
        #expect(BIDSDataset.visitCode(sessionLabel: "M00") == "bl" && BIDSDataset.visitCode(sessionLabel: "bl") == "bl")
        #expect(BIDSDataset.visitCode(sessionLabel: "M006") == "m06" && BIDSDataset.visitCode(sessionLabel: "m12") == "m12")
        #expect(BIDSDataset.visitCode(sessionLabel: "month24") == "m24" && BIDSDataset.visitCode(sessionLabel: "M120") == "m120")
        #expect(BIDSDataset.visitCode(sessionLabel: "01") == nil && BIDSDataset.visitCode(sessionLabel: "followup") == nil)
        #expect(BIDSDataset.visitCode(sessionLabel: "M9999") == nil)
    }
}
