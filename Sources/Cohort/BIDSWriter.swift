import Foundation

/// Writes a longitudinal cohort as a BIDS dataset (the synthetic generator's `bids/`): participants.tsv with
/// subject-level values, each subject's sessions.tsv with every visit (`ses-M00`, `ses-M06`, ...), the T1w in
/// `anat/` and FA in a derivatives pipeline (`param-fa` dwimap in MNI152 space), both at the imaged visits.
/// Volumes are hard-linked from where they already are (copied across file systems), so the tree costs no
/// second copy of the images.
public enum BIDSWriter {
    public struct Images: Sendable {
        public var t1: String?
        public var fa: String?

        public init(t1: String?, fa: String?) {
            self.t1 = t1
            self.fa = fa
        }
    }

    static let pipeline = "memoir-synth"
    static let faName = "space-MNI152NLin2009aSym_model-tensor_param-fa_dwimap"

    /// `images` by `subject|VISCODE`. The folder is built beside `root` and moved into place, so a failed write
    /// leaves no half dataset.
    public static func write(_ visits: [LongitudinalVisit], images: [String: Images], root: String) throws {
        let fm = FileManager.default
        let staging = root + ".tmp"
        try? fm.removeItem(atPath: staging)
        do {
            try fm.createDirectory(atPath: staging + "/derivatives/" + pipeline, withIntermediateDirectories: true)
            try json(["Name": "Memoir synthetic ADNI-like cohort", "BIDSVersion": "1.9.0", "DatasetType": "raw",
                      "License": "Synthetic data; images derive from the MNI ICBM152 template (see NOTICE.txt)"],
                     to: staging + "/dataset_description.json")
            try json(["Name": "Memoir synthetic DTI-FA maps", "BIDSVersion": "1.9.0", "DatasetType": "derivative",
                      "GeneratedBy": [["Name": "memoir synth"]]], to: staging + "/derivatives/\(pipeline)/dataset_description.json")
            var bySubject: [String: [LongitudinalVisit]] = [:], order: [String] = []
            for v in visits {
                if bySubject[v.visit.subjectID] == nil { order.append(v.visit.subjectID) }
                bySubject[v.visit.subjectID, default: []].append(v)
            }
            var participants = [["participant_id", "ptid", "sex", "age", "education", "apoe4", "dx_bl"]]
            for subject in order {
                let own = bySubject[subject, default: []].sorted { $0.visit.months < $1.visit.months }
                guard let first = own.first else { continue }
                let label = "sub-" + Self.label(subject)
                let baselineAge = first.age.map { $0 - first.visit.months / 12 }
                participants.append([label, subject, first.sex.map { $0 == .female ? "F" : "M" } ?? "n/a", number(baselineAge),
                                     number(first.education), first.e4Count.map(String.init) ?? "n/a",
                                     first.baselineDiagnosis?.rawValue ?? "n/a"])
                var sessions = [["session_id", "acq_time", "diagnosis", "age", "mmse", "cdr_sb", "adas11", "adas13", "moca"]]
                for v in own {
                    let session = "ses-" + sessionLabel(months: v.visit.months)
                    sessions.append([session, v.visit.examDate.map { $0 + "T09:00:00" } ?? "n/a", v.diagnosis?.rawValue ?? "n/a",
                                     number(v.age), number(v.mmse), number(v.cdrsb), number(v.adas11), number(v.adas13), number(v.moca)])
                    guard let files = images[subject + "|" + v.visit.code] else { continue }
                    let base = "\(label)_\(session)"
                    if let t1 = files.t1 {
                        try place(t1, at: "\(staging)/\(label)/\(session)/anat/\(base)_T1w.nii.gz")
                    }
                    if let fa = files.fa {
                        try place(fa, at: "\(staging)/derivatives/\(pipeline)/\(label)/\(session)/dwi/\(base)_\(faName).nii.gz")
                    }
                }
                try fm.createDirectory(atPath: "\(staging)/\(label)", withIntermediateDirectories: true)
                try tsv(sessions, to: "\(staging)/\(label)/\(label)_sessions.tsv")
            }
            try tsv(participants, to: staging + "/participants.tsv")
            try? fm.removeItem(atPath: root)
            try fm.moveItem(atPath: staging, toPath: root)
        } catch let error as CohortError {
            try? fm.removeItem(atPath: staging)
            throw error
        } catch {
            try? fm.removeItem(atPath: staging)
            throw CohortError.unreadable(file: root, reason: "cannot write the BIDS tree: \(error.localizedDescription)")
        }
    }

    /// A BIDS label for an ADNI-style id: letters and digits only (`663_S_0001` → `663S0001`).
    public static func label(_ subject: String) -> String { String(subject.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }) }

    /// `M00`, `M06`, `M12`, ... as Clinica's ADNI-to-BIDS names sessions.
    static func sessionLabel(months: Double) -> String { String(format: "M%02d", Int(months.rounded())) }

    static func number(_ v: Double?) -> String {
        guard let v else { return "n/a" }
        return v == v.rounded() ? String(Int(v)) : String(format: "%.4g", v)
    }

    static func tsv(_ rows: [[String]], to path: String) throws {
        try (rows.map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func json(_ object: [String: Any], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func place(_ source: String, at path: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if link(source, path) != 0 { try fm.copyItem(atPath: source, toPath: path) }
    }
}
