import Cohort
import Foundation
import Testing
import TestSupport

/// ADNIMERGE as downloaded: every quirk of Fixtures/adnimerge/ADNIMERGE.csv, errors, visit choice and the split.
@Suite struct ADNIMergeTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    static let header = "RID,PTID,VISCODE,EXAMDATE,DX_bl,DX,AGE,PTGENDER,PTEDUCAT,APOE4,MMSE,CDRSB,ADAS11,ADAS13,MOCA,Years_bl,Month"

    func table(_ rows: [String]) -> String { ([Self.header] + rows).joined(separator: "\n") }

    func fixture() throws -> [LongitudinalVisit] {
        let path = Fixtures.path("adnimerge/ADNIMERGE.csv")
        return try ADNIMergeCSV.parse(try CohortCSV.text(path: path), path: path)
    }

    func visit(_ visits: [LongitudinalVisit], row: Int) throws -> LongitudinalVisit {
        try #require(visits.first { $0.row == row })
    }

    @Test func missingValueCodesAreAbsentValues() throws {
        let v = try fixture()
        #expect(v.count == 10)
        #expect(try visit(v, row: 3).moca == nil)   // NA
        #expect(try visit(v, row: 4).moca == nil)   // -4
        #expect(try visit(v, row: 6).moca == nil)   // -1
        #expect(try visit(v, row: 5).moca == nil)   // empty
        #expect(try visit(v, row: 2).moca == 27)
        #expect(try visit(v, row: 10).e4Count == nil)  // APOE4 -4
    }

    @Test func diagnosisEmptyOnSomeVisitsAndOldSpellings() throws {
        let v = try fixture()
        let emptyFollowUp = try visit(v, row: 3)
        #expect(emptyFollowUp.diagnosis == nil && emptyFollowUp.caseDiagnosis == nil)
        let emptyBaseline = try visit(v, row: 8)
        #expect(emptyBaseline.diagnosis == nil && emptyBaseline.baselineDiagnosis == .dementia && emptyBaseline.caseDiagnosis == .dementia)
        #expect(try visit(v, row: 7).diagnosis == .dementia)   // "MCI to Dementia"
        #expect(try visit(v, row: 11).diagnosis == .cn)         // "NL"
        #expect(try visit(v, row: 10).baselineDiagnosis == .mci) // "EMCI"
        #expect(throws: CohortError.self) { try ADNIMergeCSV.parse(table(["1,S1,bl,2005-01-01,CN,Healthy,70,Female,16,0,29,0,5,8,27,0,0"]), path: "a.csv") }
    }

    @Test func datesAndTimeFromBaseline() throws {
        let v = try fixture()
        #expect(try visit(v, row: 7).visit.examDate == "2007-11-05")  // 11/5/2007
        #expect(try visit(v, row: 2).visit.examDate == "2005-09-08")
        let m06 = try visit(v, row: 3)
        #expect(abs(m06.visit.months - 0.5147 * 12) < 1e-9)
        #expect(abs((m06.age ?? 0) - 73.0) < 0.051)  // AGE is at baseline: 72.5 + 0.51 years
        for bad in ["2006-02-30", "13/01/2006", "2006/01/13", "1890-01-01", "yesterday"] {
            #expect { try ADNIMergeCSV.parse(table(["1,S1,bl,\(bad),CN,CN,70,Female,16,0,29,0,5,8,27,0,0"]), path: "a.csv") } throws: { error in
                guard case let CohortError.invalidValue(file, row, field, _, _) = error else { return false }
                return file == "a.csv" && row == 2 && field == "EXAMDATE"
            }
        }
        #expect(ADNIMergeCSV.isoDate("2008-02-29") == "2008-02-29" && ADNIMergeCSV.isoDate("2007-02-29") == nil)
        #expect(ADNIMergeCSV.months(ofVisitCode: "m06") == 6 && ADNIMergeCSV.months(ofVisitCode: "sc") == nil)
    }

    @Test func apoe4CountMapsToAGenotypeAndOutOfRangeIsRefused() throws {
        let ok = try ADNIMergeCSV.parse(table((0...2).map { "\($0 + 1),S\($0),bl,,CN,CN,70,Female,16,\($0),29,0,5,8,27,0,0" }), path: "a.csv")
        let records = ok.map { $0.caseRecord(diagnosis: .cn, t1Path: nil, faPath: nil) }
        #expect(records.map(\.apoe) == [APOEGenotype(3, 3), APOEGenotype(3, 4), APOEGenotype(4, 4)])
        #expect(records.allSatisfy { $0.apoeFromE4Count })
        #expect(CaptionWriter.caption(records[1], measures: ImageMeasures()).contains("one APOE ε4 allele (ε4 count only; ε2 status unknown)"))
        for bad in ["3", "1.5", "-2", "two"] {
            #expect { try ADNIMergeCSV.parse(table(["1,S1,bl,,CN,CN,70,Female,16,\(bad),29,0,5,8,27,0,0"]), path: "a.csv") } throws: { error in
                guard case let CohortError.invalidValue(_, row, field, _, _) = error else { return false }
                return row == 2 && field == "APOE4"
            }
        }
    }

    @Test func everyBadRowIsReportedInOnePass() throws {
        let rows = ["1,S1,bl,,CN,CN,70,Female,16,0,31,0,5,8,27,0,0",      // MMSE 31
                    "2,S2,bl,,CN,CN,70,Female,16,0,29,0,5,8,27,0,0",      // fine
                    "3,S3,xx,,CN,CN,70,Female,16,7,29,0,5,8,27,0,0",      // VISCODE and APOE4
                    "4,S4,bl,2005-13-01,CN,CN,70,Female,16,0,29,0,5,8,27,0,0"]  // date
        #expect { try ADNIMergeCSV.parse(table(rows), path: "a.csv") } throws: { error in
            guard case let CohortError.rows(file, errors, omitted) = error else { return false }
            let located = errors.compactMap { e -> String? in
                guard case let .invalidValue(_, row, field, _, _) = e else { return nil }
                return "\(row):\(field)"
            }
            return file == "a.csv" && omitted == 0 && located == ["2:MMSE", "4:VISCODE", "4:APOE4", "5:EXAMDATE"]
                && "\(error)".contains("4 problem(s)")
        }
        // Past the limit the rest are counted, not listed.
        let many = (1...80).map { "\($0),S\($0),bl,,CN,CN,70,Female,16,0,31,0,5,8,27,0,0" }
        #expect { try ADNIMergeCSV.parse(table(many), path: "a.csv") } throws: { error in
            guard case let CohortError.rows(_, errors, omitted) = error else { return false }
            return errors.count == RowErrorList.limit && omitted == 30 && "\(error)".contains("and 30 more")
        }
        // The one-row-per-subject cohort CSV reports all its rows too.
        let csv = folder.file("c.csv")
        try """
        PTID,DX,AGE,PTGENDER,PTEDUCAT,MMSE,CDRSB,ADAS11,ADAS13,MOCA,APOE_GENOTYPE,T1_PATH,FA_PATH
        S1,CN,70,F,16,31,0,5,8,27,3/3,,
        S2,XX,70,F,16,29,0,5,8,27,3/3,,
        """.write(toFile: csv, atomically: true, encoding: .utf8)
        #expect { try CohortCSV.read(path: csv) } throws: { error in
            guard case let CohortError.rows(_, errors, _) = error else { return false }
            return errors.count == 2
        }
    }

    @Test func visitChoiceAndImageMap() throws {
        let visits = try fixture()
        let map = try ImageMapCSV.read(path: Fixtures.path("adnimerge/image_map.csv"))
        func build(_ s: VisitSelection) throws -> LongitudinalCohort {
            try LongitudinalCohort.build(visits: visits, imageMap: map, selection: s, file: "ADNIMERGE.csv", mapFile: "image_map.csv")
        }
        let bl = try build(.baseline)
        #expect(bl.records.map(\.subjectID) == ["941_S_0001", "941_S_0003", "941_S_0005", "941_S_0006"])
        #expect(bl.records[2].diagnosis == .dementia)  // DX empty at baseline, DX_bl AD
        #expect(bl.records[0].t1Path?.hasSuffix("941_S_0001_t1.nii.gz") == true && bl.records[0].faPath != nil)
        #expect(bl.records[3].t1Path == nil)  // 941_S_0006's volume belongs to m12
        let all = try build(.all)
        #expect(all.records.map(\.subjectID) == ["941_S_0001", "941_S_0001@m12", "941_S_0003", "941_S_0003@m12", "941_S_0003@m24",
                                                 "941_S_0005", "941_S_0005@m06", "941_S_0006", "941_S_0006@m12"])
        #expect(all.warnings.contains { $0.contains("1 visit(s) without a diagnosis") })
        #expect(all.records.last?.t1Path != nil)
        let latest = try build(.latest)
        #expect(latest.records.map(\.subjectID) == ["941_S_0001@m12", "941_S_0003@m24", "941_S_0005@m06", "941_S_0006@m12"])
        // Courses keep every visit, the undiagnosed one included.
        #expect(bl.courses.first { $0.subjectID == "941_S_0001" }?.points.count == 3)
        let course = try #require(bl.courses.first { $0.subjectID == "941_S_0003" })
        #expect(course.outcome(reaching: .dementia, withinMonths: 24) == .progressed)
        #expect(course.outcome(reaching: .dementia, withinMonths: 12) == .stable)
        #expect(try #require(bl.courses.first { $0.subjectID == "941_S_0006" }).outcome(reaching: .dementia, withinMonths: 24) == .censored)
        // A map row for a visit the table lacks is named.
        let bad = map.merging(["941_S_0001|m48": ImageMapCSV.Entry(row: 9, t1Path: "x.nii", faPath: nil)]) { a, _ in a }
        #expect { try LongitudinalCohort.build(visits: visits, imageMap: bad, selection: .baseline, file: "A.csv", mapFile: "map.csv") } throws: { error in
            guard case let CohortError.invalidValue(file, row, _, _, reason) = error else { return false }
            return file == "map.csv" && row == 9 && reason.contains("A.csv")
        }
    }

    @Test func visitsOfOneSubjectShareASplitAndBaselineMatchesTheCohortCSV() throws {
        let subjects = SyntheticCohortGenerator(subjects: 120, seed: 4, writeImages: false).drawSubjects()
        let (visits, _) = LongitudinalSimulator.visits(for: subjects, seed: 4)
        let all = try LongitudinalCohort.build(visits: visits, imageMap: [:], selection: .all, file: "a", mapFile: "m")
        let split = StratifiedSplit.assign(all.records, seed: 2363)
        var bySubject: [String: Set<Split>] = [:]
        for r in all.records { bySubject[r.subject, default: []].insert(try #require(split[r.subjectID])) }
        #expect(bySubject.values.allSatisfy { $0.count == 1 })
        #expect(all.records.count > 3 * subjects.count)
        // Baseline cases of the longitudinal export split exactly as the cohort CSV's subjects.
        let bl = try LongitudinalCohort.build(visits: visits, imageMap: [:], selection: .baseline, file: "a", mapFile: "m")
        let fromCSV = StratifiedSplit.assign(subjects.map(\.record), seed: 2363)
        #expect(StratifiedSplit.assign(bl.records, seed: 2363) == fromCSV.filter { id, _ in bl.records.contains { $0.subjectID == id } })
    }

    @Test func theSyntheticExportReadsBackWithItsQuirks() throws {
        let subjects = SyntheticCohortGenerator(subjects: 300, seed: 2, writeImages: false).drawSubjects()
        let (visits, labels) = LongitudinalSimulator.visits(for: subjects, seed: 2)
        let path = folder.file("adnimerge.csv")
        try ADNIMergeCSV.write(visits, path: path, baselineLabels: labels)
        let read = try ADNIMergeCSV.parse(try CohortCSV.text(path: path), path: path)
        #expect(read.count == visits.count)
        #expect(read.contains { $0.diagnosis == nil })                          // DX left empty on some visits
        #expect(Set(labels.values) == ["CN", "EMCI", "LMCI", "AD"])
        // Baseline rows carry the cohort CSV's values.
        let first = try #require(read.first { $0.visit.isBaseline })
        let record = try #require(subjects.first { $0.record.subjectID == first.visit.subjectID }).record
        #expect(first.mmse == record.mmse && first.e4Count == record.apoe?.e4Count && first.age == record.age)
        // Some MCI subjects progress within 24 months, and not all.
        let cohort = try LongitudinalCohort.build(visits: read, imageMap: [:], selection: .baseline, file: "a", mapFile: "m")
        let mci = Set(cohort.records.filter { $0.diagnosis == .mci }.map(\.subject))
        let outcomes = cohort.courses.filter { mci.contains($0.subjectID) }.map { $0.outcome(reaching: .dementia, withinMonths: 24) }
        let progressed = outcomes.filter { $0 == .progressed }.count, stable = outcomes.filter { $0 == .stable }.count
        #expect(progressed > 0 && stable > progressed)
    }
}
