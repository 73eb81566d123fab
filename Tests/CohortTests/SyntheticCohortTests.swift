import Cohort
import Foundation
import Testing
import TestSupport

@Suite struct SyntheticCohortTests {
    @Test func defaultCohortHasMemoirShapeAndIsDeterministic() {
        let a = SyntheticCohortGenerator(subjects: 2363, seed: 1, writeImages: false).drawSubjects()
        let b = SyntheticCohortGenerator(subjects: 2363, seed: 1, writeImages: false).drawSubjects()
        #expect(a.map(\.record) == b.map(\.record))
        #expect(Diagnosis.allCases.map { d in a.filter { $0.record.diagnosis == d }.count } == [837, 813, 713])
        let fa = Double(a.filter(\.hasFA).count) / Double(a.count)
        #expect(abs(fa - 0.394) < 0.03)
        let other = SyntheticCohortGenerator(subjects: 2363, seed: 2, writeImages: false).drawSubjects()
        #expect(other.map(\.record) != a.map(\.record))
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func groupStatisticsMeetCalibrationAndScoresAreInformativeNotTrivial(seed: UInt64) {
        let subjects = SyntheticCohortGenerator(subjects: 2363, seed: seed, writeImages: false).drawSubjects()
        let report = CohortReport(subjects: subjects, hippocampusML: 7.3, ventricleML: 22, seed: 2363)
        let off = report.rows.filter { $0.withinTarget == false }.map { "\($0.measure) \($0.group) \($0.mean)" }
        #expect(off.isEmpty, "outside calibration: \(off)")
        #expect((0.62...0.80).contains(report.clinicalOnlyBalancedAccuracy3Class), "3-class \(report.clinicalOnlyBalancedAccuracy3Class)")
        #expect(report.clinicalOnlyBalancedAccuracyCNvsDementia < 0.99)
        for s in subjects {
            let r = s.record
            #expect(r.mmse.map { (0...30).contains($0) } ?? true)
            #expect(r.cdrsb.map { (0...18).contains($0) && ($0 * 2).rounded() == $0 * 2 } ?? true)
            if let a11 = r.adas11, let a13 = r.adas13 { #expect(a13 >= a11) }
        }
    }
}
