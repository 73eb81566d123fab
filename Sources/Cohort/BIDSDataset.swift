import Foundation
import Numerics

/// A BIDS dataset read as a longitudinal cohort. `participants.tsv` and each subject's `sub-<label>_sessions.tsv`
/// give the clinical values under the dataset's own column names (`BIDSColumnMap`; a session's value wins over
/// the participant's); session labels give the visits (`ses-M00`, `ses-bl`, `ses-m06`, or a VISCODE/MONTH
/// column); the volumes are found by BIDS entities: T1w from an MNI152-space derivative when there is one, else
/// the raw `anat` image, and FA (`param-fa`, `desc-FA` or suffix `FA`) from a `derivatives/` pipeline.
public struct BIDSDataset: Sendable {
    public var visits: [LongitudinalVisit]
    /// Volumes by `subject|VISCODE`, as an image map gives them; `row` is the subject's participants.tsv row.
    public var imageMap: [String: ImageMapCSV.Entry]
    public var warnings: [String]

    static let participantsFile = "participants.tsv"
    /// Fields a participant has for life; the others in participants.tsv belong to the baseline visit.
    static let lastingFields: Set<String> = ["PTID", "PTGENDER", "PTEDUCAT", "APOE4", "DX_BL", "AGE"]

    public static func read(root: String, columns: BIDSColumnMap = .standard) throws -> BIDSDataset {
        let root = CohortCSV.absolutePath(root)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CohortError.unreadable(file: root, reason: "not a directory (a BIDS dataset is a folder with dataset_description.json and participants.tsv)")
        }
        try checkDescription(root)
        let participants = try table(root, participantsFile, required: ["PARTICIPANT_ID"])
        var reader = Reader(root: root, columns: columns)
        try reader.readParticipants(participants)
        return BIDSDataset(visits: reader.visits, imageMap: reader.images, warnings: reader.warnings)
    }

    /// `dataset_description.json` must exist and name the dataset and BIDS version (BIDS "Dataset description").
    static func checkDescription(_ root: String) throws {
        let path = root + "/dataset_description.json"
        let data: Data
        do { data = try RegularFile.contents(path, maxBytes: 1 << 20) } catch let error as MappedFileError {
            throw CohortError.unreadable(file: path, reason: "cannot read (\(error.reason)); every BIDS dataset has one, with Name and BIDSVersion")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              object["Name"] is String, object["BIDSVersion"] is String else {
            throw CohortError.unreadable(file: path, reason: "not a JSON object with \"Name\" and \"BIDSVersion\" strings (BIDS 'Dataset description')")
        }
    }

    static func table(_ root: String, _ relative: String, required: [String]) throws -> CSVTable {
        let path = root + "/" + relative
        let text = try CohortCSV.text(path: path)
        // Errors name the file by its place in the dataset (sub-01/sub-01_sessions.tsv), not just its name.
        return try CSVTable(text: text, path: path, required: required, tab: true, label: relative)
    }

    /// Directory entries of `path` starting with `prefix`, sorted; empty when the folder is absent.
    static func entries(_ path: String, prefix: String, directories: Bool) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return name.hasPrefix(prefix) && FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDirectory)
                && isDirectory.boolValue == directories
        }.sorted()
    }

    /// The visit code of a session label: `bl`/`baseline`, `M00`/`M000` → bl; `M06`, `m006`, `month12` → m06, m12.
    public static func visitCode(sessionLabel label: String) -> String? {
        let l = label.lowercased()
        if l == "bl" || l == "baseline" { return "bl" }
        let digits = l.hasPrefix("month") ? l.dropFirst(5) : l.hasPrefix("m") ? l.dropFirst() : ""
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isNumber), let n = Int(digits), n <= 480 else { return nil }
        return code(months: n)
    }

    static func code(months n: Int) -> String { n == 0 ? "bl" : String(format: "m%02d", n) }

    /// The reading state: visits and images gathered subject by subject, every problem collected.
    struct Reader {
        let root: String
        let columns: BIDSColumnMap
        var visits: [LongitudinalVisit] = []
        var images: [String: ImageMapCSV.Entry] = [:]
        var warnings: [String] = []
        var errors: RowErrorList
        var imageWarnings = 0
        var droppedDates = 0
        /// Fields some table had a column for.
        var mappedFields: Set<String> = []

        init(root: String, columns: BIDSColumnMap) {
            self.root = root
            self.columns = columns
            errors = RowErrorList(file: root)  // problems across the dataset's files are listed under its folder
        }

        mutating func readParticipants(_ table: CSVTable) throws {
            let file = table.file
            var labels: [String: Int] = [:], ids: [String: Int] = [:]
            var rows: [(number: Int, label: String, cells: [String: VisitRowParser.Cell])] = []
            for (number, values) in table.numberedRows(errors: &errors) {
                let label = values[table.position["PARTICIPANT_ID"]!].trimmingCharacters(in: .whitespaces)
                guard label.hasPrefix("sub-"), BIDSFileName.isLabel(label.dropFirst(4)) else {
                    errors.add(.invalidValue(file: file, row: number, field: "participant_id", value: ErrorEcho.clip(label),
                                             reason: "is not sub-<label> (letters and digits)"))
                    continue
                }
                if let first = labels[label] {
                    errors.add(.invalidValue(file: file, row: number, field: "participant_id", value: label, reason: "repeats row \(first)"))
                    continue
                }
                labels[label] = number
                let found = cells(of: table, values: values, row: number)
                mappedFields.formUnion(found.keys)
                rows.append((number, label, found))
            }
            for folder in BIDSDataset.entries(root, prefix: "sub-", directories: true) where labels[folder] == nil {
                errors.add(.unreadable(file: folder, reason: "a subject folder with no row in participants.tsv (BIDS lists every subject there)"))
            }
            try errors.throwIfAny()
            guard !rows.isEmpty else { throw CohortError.empty(file: file) }
            for (number, label, subjectCells) in rows {
                var id = label.dropFirst(4).description
                let ptid = subjectCells["PTID"]?.text.trimmingCharacters(in: .whitespaces) ?? ""
                if !ADNIMergeCSV.missingCodes.contains(ptid.uppercased()) { id = ptid }
                if let first = ids[id] {
                    errors.add(.invalidValue(file: file, row: number, field: "PTID", value: ErrorEcho.clip(id), reason: "is also the subject id of row \(first)"))
                    continue
                }
                ids[id] = number
                readSubject(label: label, id: id, row: number, subjectCells: subjectCells)
            }
            try errors.throwIfAny()
            guard !visits.isEmpty else { throw CohortError.empty(file: file) }
            let unmapped = ["DX", "AGE", "PTGENDER", "PTEDUCAT", "APOE4", "MMSE", "CDRSB", "ADAS11", "ADAS13", "MOCA"].filter { !mappedFields.contains($0) }
            if !unmapped.isEmpty {
                warnings.append("no column for \(unmapped.joined(separator: ", ")) in participants.tsv or any sessions.tsv: recorded as missing (name the columns in a --column-map)")
            }
            if droppedDates > 0 {
                warnings.append("\(droppedDates) session date(s) were not real exam days between 1990 and 2100 (de-identified?) and were left out")
            }
            if imageWarnings > 0 { warnings.append("\(imageWarnings) visit(s) had several candidate images; the first (by run, then name) was used") }
        }

        /// The mapped fields of one TSV row, under their ADNIMERGE names.
        func cells(of table: CSVTable, values: [String], row: Int) -> [String: VisitRowParser.Cell] {
            var out: [String: VisitRowParser.Cell] = [:]
            for field in BIDSColumnMap.fields {
                guard let column = columns.column(for: field, in: table.header), let index = table.position[column] else { continue }
                out[field] = VisitRowParser.Cell(text: values[index], file: table.file, row: row, column: column.lowercased())
            }
            return out
        }

        mutating func readSubject(label: String, id: String, row: Int, subjectCells: [String: VisitRowParser.Cell]) {
            let folder = root + "/" + label
            let sessionsFile = "\(label)/\(label)_sessions.tsv"
            var sessions: [(label: String?, cells: [String: VisitRowParser.Cell])] = []
            if FileManager.default.fileExists(atPath: root + "/" + sessionsFile) {
                guard let table = errors.collect({ try BIDSDataset.table(root, sessionsFile, required: ["SESSION_ID"]) }) else { return }
                for (number, values) in table.numberedRows(errors: &errors) {
                    let session = values[table.position["SESSION_ID"]!].trimmingCharacters(in: .whitespaces)
                    guard session.hasPrefix("ses-"), BIDSFileName.isLabel(session.dropFirst(4)) else {
                        errors.add(.invalidValue(file: table.file, row: number, field: "session_id", value: ErrorEcho.clip(session),
                                                 reason: "is not ses-<label> (letters and digits)"))
                        continue
                    }
                    let found = cells(of: table, values: values, row: number)
                    mappedFields.formUnion(found.keys)
                    sessions.append((String(session.dropFirst(4)), found))
                }
            }
            let listed = Set(sessions.compactMap(\.label))
            for dir in BIDSDataset.entries(folder, prefix: "ses-", directories: true) where !listed.contains(String(dir.dropFirst(4))) {
                sessions.append((String(dir.dropFirst(4)), [:]))
            }
            if sessions.isEmpty { sessions = [(nil, [:])] }  // a dataset without sessions: one visit, the baseline
            var codes: [String: String] = [:]
            for (session, sessionCells) in sessions {
                guard let code = visitCode(session: session, cells: sessionCells, file: sessionsFile, subject: label) else { continue }
                let where_ = session.map { "ses-\($0)" } ?? label
                if let first = codes[code] {
                    errors.add(.unreadable(file: sessionsFile, reason: "\(where_) and \(first) are both visit \(code) of \(label)"))
                    continue
                }
                codes[code] = where_
                // A participant's measurements (diagnosis, scores, dates) were taken at one visit, taken as the
                // baseline; only what does not change (sex, education, APOE, baseline diagnosis and age) holds at
                // every session.
                let lasting = code == "bl" ? subjectCells : subjectCells.filter { BIDSDataset.lastingFields.contains($0.key) }
                var merged = lasting.merging(sessionCells) { _, session in session }
                merged["PTID"] = .init(text: id, file: BIDSDataset.participantsFile, row: row, column: "participant_id")
                merged["VISCODE"] = .init(text: code, file: sessionsFile, row: 0, column: "session_id")
                if merged["MONTH"] == nil, let months = ADNIMergeCSV.months(ofVisitCode: code) {
                    merged["MONTH"] = .init(text: String(Int(months)), file: sessionsFile, row: 0, column: "session_id")
                }
                if let date = merged["EXAMDATE"] {
                    // acq_time is a date-time; de-identified datasets shift dates (BIDS suggests to 1925 or
                    // earlier), which no exam could have: such a date is dropped, not an error.
                    let day = String(date.text.trimmingCharacters(in: .whitespaces).prefix { $0 != "T" && $0 != " " })
                    if ADNIMergeCSV.missingCodes.contains(day.uppercased()) || ADNIMergeCSV.isoDate(day) != nil {
                        merged["EXAMDATE"]?.text = day
                    } else {
                        merged["EXAMDATE"] = nil
                        droppedDates += 1
                    }
                }
                var parser = VisitRowParser(cells: merged, file: BIDSDataset.participantsFile, row: visits.count + 1)
                parser.ageIsAtVisit = sessionCells["AGE"] != nil
                var rowErrors = RowErrorList(file: BIDSDataset.participantsFile)
                let visit = parser.visit(errors: &rowErrors)
                for e in rowErrors.errors { errors.add(e) }
                guard let visit, rowErrors.isEmpty else { continue }
                visits.append(visit)
                let dataFolder = session.map { "\(label)/ses-\($0)" } ?? label
                let t1 = findImage(in: dataFolder, kind: "anat", label: label, session: session, wanted: { $0.suffix == "T1w" })
                let fa = findImage(in: dataFolder, kind: "dwi", label: label, session: session, wanted: { $0.isFA }, derivativesOnly: true)
                if t1 != nil || fa != nil { images[id + "|" + code] = ImageMapCSV.Entry(row: row, t1Path: t1, faPath: fa) }
            }
        }

        /// A session's visit code: its label when that is a visit (`ses-M06`), else its VISCODE or months column.
        mutating func visitCode(session: String?, cells: [String: VisitRowParser.Cell], file: String, subject: String) -> String? {
            guard let session else { return "bl" }
            if let code = BIDSDataset.visitCode(sessionLabel: session) { return code }
            if let c = cells["VISCODE"], !ADNIMergeCSV.missingCodes.contains(c.text.uppercased()) {
                if let code = BIDSDataset.visitCode(sessionLabel: c.text.trimmingCharacters(in: .whitespaces)) { return code }
                errors.add(.invalidValue(file: c.file, row: c.row, field: c.column, value: ErrorEcho.clip(c.text), reason: "is not a visit code (bl, m06, m12, ...)"))
                return nil
            }
            if let c = cells["MONTH"], !ADNIMergeCSV.missingCodes.contains(c.text.uppercased()) {
                if let m = Double(c.text.trimmingCharacters(in: .whitespaces)), m >= 0, m <= 480 {
                    return BIDSDataset.code(months: Int(m.rounded()))
                }
                errors.add(.invalidValue(file: c.file, row: c.row, field: c.column, value: ErrorEcho.clip(c.text), reason: "is not a number of months 0–480"))
                return nil
            }
            errors.add(.unreadable(file: "\(subject)/ses-\(session)", reason: "the session label is not a visit (ses-bl, ses-M00, ses-M06, ses-M12, ...); "
                                   + "give its visit in \(file) (a VISCODE or months column)"))
            return nil
        }

        /// The image of one kind for a visit: an MNI152-space derivative first, then (unless `derivativesOnly`)
        /// the raw image. A file whose name breaks BIDS or names another subject or session is an error.
        mutating func findImage(in dataFolder: String, kind: String, label: String, session: String?,
                                wanted: (BIDSFileName) -> Bool, derivativesOnly: Bool = false) -> String? {
            var ranked: [(rank: Int, run: Int, path: String)] = []
            let pipelines = BIDSDataset.entries(root + "/derivatives", prefix: "", directories: true).map { "derivatives/\($0)/" }
            for prefix in pipelines + (derivativesOnly ? [] : [""]) {
                let folder = prefix + dataFolder + "/" + kind
                for name in BIDSDataset.entries(root + "/" + folder, prefix: "", directories: false)
                    where BIDSFileName.imageExtensions.contains(where: name.hasSuffix) {
                    guard let parsed = BIDSFileName(name) else {
                        errors.add(.unreadable(file: folder + "/" + name, reason: "not a BIDS file name (sub-<label>[_ses-<label>][_key-value…]_<suffix>.nii[.gz])"))
                        continue
                    }
                    guard "sub-" + (parsed.entities["sub"] ?? "") == label, parsed.entities["ses"] == session else {
                        errors.add(.unreadable(file: folder + "/" + name, reason: "its sub/ses entities do not match the folder it is in"))
                        continue
                    }
                    guard wanted(parsed) else { continue }
                    let derivative = !prefix.isEmpty
                    if derivative, kind == "anat", !parsed.isMNISpace { continue }  // a native-space derivative is no better than raw
                    ranked.append((derivative && parsed.isMNISpace ? 0 : derivative ? 1 : 2, parsed.run, root + "/" + folder + "/" + name))
                }
            }
            ranked.sort { ($0.rank, $0.run, $0.path) < ($1.rank, $1.run, $1.path) }
            if ranked.count > 1, ranked[0].rank == ranked[1].rank, ranked[0].run == ranked[1].run { imageWarnings += 1 }
            return ranked.first?.path
        }
    }
}
