import Foundation

/// A longitudinal table turned into cases: the chosen visits (with their volumes from the image map) and
/// every subject's course, which is kept whole whatever visits become cases.
public struct LongitudinalCohort: Sendable {
    public var records: [CaseRecord]
    /// For each case, its row in the longitudinal table (for messages about its volumes).
    public var rows: [Int]
    public var courses: [SubjectCourse]
    /// What was left out and why (subjects without a baseline row, visits without a diagnosis, ...).
    public var warnings: [String]

    /// Chooses the visits, joins the image map (`PTID|VISCODE` keys) and checks that every map row names a
    /// visit the table has. `file`/`mapFile` name the tables in messages.
    public static func build(visits: [LongitudinalVisit], imageMap: [String: ImageMapCSV.Entry], selection: VisitSelection,
                             file: String, mapFile: String) throws -> LongitudinalCohort {
        var bySubject: [String: [LongitudinalVisit]] = [:]
        for v in visits { bySubject[v.visit.subjectID, default: []].append(v) }
        let known = Set(visits.map { $0.visit.subjectID + "|" + $0.visit.code })
        var errors = RowErrorList(file: mapFile)
        for (key, entry) in imageMap.sorted(by: { $0.value.row < $1.value.row }) where !known.contains(key) {
            errors.add(.invalidValue(file: mapFile, row: entry.row, field: "VISCODE", value: key.replacingOccurrences(of: "|", with: " "),
                                     reason: "names a subject visit that \(file) does not have"))
        }
        try errors.throwIfAny()

        var chosen: [LongitudinalVisit] = []
        var noBaseline = 0, noDiagnosis = 0
        for subject in bySubject.keys.sorted() {
            let own = bySubject[subject, default: []].sorted { $0.visit.months < $1.visit.months }
            switch selection {
            case .baseline:
                guard let bl = own.first(where: { $0.visit.isBaseline }) else { noBaseline += 1; continue }
                if bl.caseDiagnosis == nil { noDiagnosis += 1 } else { chosen.append(bl) }
            case .latest:
                if let last = own.last(where: { $0.caseDiagnosis != nil }) { chosen.append(last) } else { noDiagnosis += 1 }
            case .all:
                for v in own { if v.caseDiagnosis == nil { noDiagnosis += 1 } else { chosen.append(v) } }
            }
        }
        chosen.sort { $0.row < $1.row }
        var warnings: [String] = []
        if noBaseline > 0 { warnings.append("\(noBaseline) subject(s) have no baseline (bl) row and were left out") }
        if noDiagnosis > 0 {
            warnings.append("\(noDiagnosis) \(selection == .all ? "visit(s)" : "subject(s)") without a diagnosis (DX, or DX_bl at baseline) were left out")
        }
        let records = chosen.compactMap { v -> CaseRecord? in
            guard let d = v.caseDiagnosis else { return nil }
            let images = imageMap[v.visit.subjectID + "|" + v.visit.code]
            return v.caseRecord(diagnosis: d, t1Path: images?.t1Path, faPath: images?.faPath)
        }
        let courses = bySubject.keys.sorted().map { s in SubjectCourse(subjectID: s, points: bySubject[s, default: []].map(\.coursePoint)) }
        guard !records.isEmpty else { throw CohortError.empty(file: file) }
        return LongitudinalCohort(records: records, rows: chosen.map(\.row), courses: courses, warnings: warnings)
    }
}
