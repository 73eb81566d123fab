import Cohort
import Crypto
import Foundation
import Numerics

/// A loaded QA set: the valid questions, and every line that was not one, with why.
///
/// JSONL, one `QAItem` per line (schema: Fixtures/qa/README.md). Blank lines are skipped; every
/// other line that is not valid JSON, lacks a required field, has an empty or unknown value, a
/// diagnosis question without `expected_diagnosis`, a duplicate id, or a case id the store does
/// not hold is counted in `problems` (line number and reason), never silently dropped.
public struct QASet: Sendable {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public let path: String
    public let items: [QAItem]
    public let problems: [Problem]
    /// SHA-256 of the file's bytes (hex), recorded with evaluation results.
    public let sha256: String

    static let requiredFields = ["id", "case_id", "question", "reference", "category", "source"]
    /// 64 MiB holds about 100,000 questions with long references; larger is not a QA set.
    public static let maximumFileBytes = 64 << 20

    /// Reads and validates `path`. `knownCaseIDs` nil skips the case-id check. Throws only when
    /// the file cannot be read; bad lines go to `problems`.
    public static func load(path: String, knownCaseIDs: Set<String>?) throws -> QASet {
        let data: Data
        // Regular files only (a FIFO would block), bounded before the whole file is held in memory.
        do { data = try RegularFile.contents(path, maxBytes: maximumFileBytes) } catch let error as MappedFileError {
            throw EvaluationError.invalidInput(source: path, detail: "cannot read the QA file: \(error.reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EvaluationError.invalidInput(source: path, detail: "not UTF-8 text")
        }
        var items: [QAItem] = [], problems: [Problem] = [], seen: [String: Int] = [:]
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            switch parse(line, knownCaseIDs: knownCaseIDs) {
            case let .failure(reason):
                problems.append(Problem(line: index + 1, reason: reason))
            case let .success(item):
                if let first = seen[item.id] {
                    problems.append(Problem(line: index + 1, reason: "duplicate id '\(item.id)' (first on line \(first))"))
                } else {
                    seen[item.id] = index + 1
                    items.append(item)
                }
            }
        }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return QASet(path: path, items: items, problems: problems, sha256: digest)
    }

    enum ParsedLine { case success(QAItem), failure(String) }

    static func parse(_ line: String, knownCaseIDs: Set<String>?) -> ParsedLine {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            return .failure("not a JSON object")
        }
        var strings: [String: String] = [:]
        for field in requiredFields {
            guard let value = object[field] else { return .failure("missing field '\(field)'") }
            guard let string = value as? String else { return .failure("field '\(field)' is not a string") }
            guard !string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .failure("field '\(field)' is empty") }
            strings[field] = string
        }
        let string = { (field: String) in strings[field] ?? "" }
        guard let category = QAItem.Category(rawValue: string("category")) else {
            let known = QAItem.Category.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure("unknown category '\(string("category"))' (expected one of \(known))")
        }
        var expected: Diagnosis?
        if let value = object["expected_diagnosis"], !(value is NSNull) {
            guard let label = value as? String, let diagnosis = Diagnosis(rawValue: label) else {
                return .failure("expected_diagnosis '\(value)' is not CN, MCI or Dementia")
            }
            expected = diagnosis
        }
        if category == .diagnosis && expected == nil {
            return .failure("diagnosis question without 'expected_diagnosis'")
        }
        if category != .diagnosis && expected != nil {
            return .failure("'expected_diagnosis' on a \(category.rawValue) question (only diagnosis questions have one)")
        }
        var course: SubjectCourse.Outcome?
        if let value = object["expected_course"], !(value is NSNull) {
            guard let text = value as? String, let outcome = SubjectCourse.Outcome(rawValue: text), outcome != .censored else {
                return .failure("expected_course '\(value)' is not progressed or stable")
            }
            guard category == .prognosis else {
                return .failure("'expected_course' on a \(category.rawValue) question (only prognosis questions have one)")
            }
            course = outcome
        }
        let caseID = string("case_id")
        if let knownCaseIDs, !knownCaseIDs.contains(caseID) {
            return .failure("unknown case id '\(caseID)'")
        }
        var item = QAItem(id: string("id"), caseID: caseID, question: string("question"), reference: string("reference"),
                          category: category, expectedDiagnosis: expected, source: string("source"))
        item.expectedCourse = course
        return .success(item)
    }

    /// "FILE: N questions" plus the bad lines, for logs and errors.
    /// The same file's record with only `items` (a subset chosen by category or limit) kept.
    public func selecting(_ items: [QAItem]) -> QASet {
        QASet(path: path, items: items, problems: problems, sha256: sha256)
    }

    public var summary: String {
        var s = "\(path): \(items.count) questions"
        if !problems.isEmpty {
            s += ", \(problems.count) bad line\(problems.count == 1 ? "" : "s")"
            s += " (" + problems.prefix(5).map(\.description).joined(separator: "; ") + (problems.count > 5 ? "; …" : "") + ")"
        }
        return s
    }
}
