import Cohort
import Foundation
import FusedEncoder
import Numerics
import Store

/// How well the fused encoder's heads read the cases of one split, for each of the 7 non-empty modality
/// subsets: 3-class diagnosis, CN-vs-Dementia (binary head), age, CDR-SB and sex.
///
/// Each case is read and preprocessed once; its ResNets run once and only fusion and heads are repeated
/// per subset (`FusedEncoder.encode(_:subsets:)`). A case lacking a modality of a subset is evaluated
/// with what it has and counted (`complete` says how many had them all); a subset it has nothing of
/// (FA alone, without an FA image) leaves it out of that subset's n.
public struct EncoderEvaluation: Sendable, Encodable {
    public struct SubsetResult: Sendable, Encodable {
        public let subset: String
        /// Cases evaluated, and how many of them had every requested modality.
        public let n: Int
        public let complete: Int
        public let diagnosis: ClassificationMetrics
        /// The binary head on the CN and Dementia cases only.
        public let cnVsDementia: ClassificationMetrics
        public let age: RegressionMetrics?
        public let cdrsb: RegressionMetrics?
        public let sex: ClassificationMetrics
    }

    public let encoderHash: String
    public let split: String?
    /// Cases in the split, and those that could not be read (named in `failures`).
    public let cases: Int
    public let failures: [String]
    public let seconds: Double
    public let subsets: [SubsetResult]

    /// One case's outputs per subset, with its recorded targets.
    struct CaseResult: Sendable {
        let record: CaseRecord
        let available: ModalitySet
        let outputs: [ModalitySet: HeadPredictions]
    }

    public static func run(store: CaseStore, encoder: FusedEncoder, split: Split? = .test,
                           subsets: [ModalitySet] = ModalitySet.nonEmptySubsets,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> EncoderEvaluation {
        let start = Date()
        let records = try store.allCases(split: split).map(\.record)
        guard !records.isEmpty else { throw EvaluationError.emptyInput(what: "the \(split?.rawValue ?? "whole") split of \(store.path)") }
        let evaluated = Parallel.map(records, memoryPerItem: encoder.memoryPerCase, singleThreadedBLAS: true,
                                     progress: progress) { record in
            let inputs = try encoder.preprocessor.inputs(for: record, modalities: .all)
            let outputs = try encoder.encode(inputs, subsets: subsets)
            return CaseResult(record: record, available: inputs.modalities, outputs: outputs.mapValues(\.heads))
        }

        var results: [CaseResult] = []
        var failures: [String] = []
        for (record, r) in zip(records, evaluated) {
            switch r {
            case let .success(c): results.append(c)
            case let .failure(e): failures.append("\(record.subjectID): \(e)")
            }
        }
        return EncoderEvaluation(encoderHash: encoder.weightsHash, split: split?.rawValue, cases: records.count, failures: failures,
                                 seconds: Date().timeIntervalSince(start),
                                 subsets: try subsets.map { try Self.score($0, results) })
    }

    static func score(_ subset: ModalitySet, _ results: [CaseResult]) throws -> SubsetResult {
        let rows = results.compactMap { r in r.outputs[subset].map { (r, $0) } }
        guard !rows.isEmpty else { throw EvaluationError.emptyInput(what: "the cases with any of \(subset.key)") }
        let dx = Diagnosis.allCases.map(\.rawValue)
        let diagnosis = try ClassificationMetrics(
            labels: dx, truth: rows.map { $0.0.record.diagnosis.index }, predicted: rows.map { $0.1.diagnosis.index },
            scores: rows.map { $0.1.dx3.map(Double.init) })
        let binaryRows = rows.filter { $0.0.record.diagnosis != .mci }
        let cnVsDementia = try ClassificationMetrics(
            labels: [Diagnosis.cn.rawValue, Diagnosis.dementia.rawValue],
            truth: binaryRows.map { $0.0.record.diagnosis == .dementia ? 1 : 0 },
            predicted: binaryRows.map { $0.1.dxBinary[1] > $0.1.dxBinary[0] ? 1 : 0 },
            scores: binaryRows.map { $0.1.dxBinary.map(Double.init) })
        let aged = rows.filter { $0.0.record.age != nil }, rated = rows.filter { $0.0.record.cdrsb != nil }
        let sexed = rows.filter { $0.0.record.sex != nil }
        let sexLabels = [Sex.female.rawValue, Sex.male.rawValue]
        return SubsetResult(
            subset: subset.key, n: rows.count, complete: rows.filter { $0.0.available.isSuperset(of: subset) }.count,
            diagnosis: diagnosis, cnVsDementia: cnVsDementia,
            age: aged.isEmpty ? nil : try RegressionMetrics(truth: aged.map { $0.0.record.age! }, predicted: aged.map { Double($0.1.age) }),
            cdrsb: rated.isEmpty ? nil : try RegressionMetrics(truth: rated.map { $0.0.record.cdrsb! }, predicted: rated.map { Double($0.1.cdrsb) }),
            sex: try ClassificationMetrics(labels: sexLabels, truth: sexed.map { $0.0.record.sex == .male ? 1 : 0 },
                                           predicted: sexed.map { $0.1.predictedSex == .male ? 1 : 0 },
                                           scores: sexed.map { $0.1.sex.map(Double.init) }))
    }
}
