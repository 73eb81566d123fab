import Foundation
import Store

extension VQARunStore {
    /// Creates the run unless it exists; returns whether it did.
    @discardableResult
    public func open(runID: String, settings: [EvaluationResults.Setting]) throws -> Bool {
        try open(runID: runID, settingsJSON: String(decoding: try JSONEncoder().encode(settings), as: UTF8.self))
    }

    public func record(runID: String, result: QuestionResult, askID: Int64?) throws {
        try record(runID: runID, qaID: result.qaID, backbone: result.backbone, modalities: result.modalities,
                   resultJSON: String(decoding: try JSONEncoder().encode(result), as: UTF8.self), failed: result.error != nil, askID: askID)
    }

    public func results(runID: String) throws -> [QuestionResult] {
        try resultsJSON(runID: runID).enumerated().map { n, json in
            do {
                return try JSONDecoder().decode(QuestionResult.self, from: Data(json.utf8))
            } catch {
                throw StoreError.corruptRow(path: store.path, reason: "vqa_answers row \(n + 1) of run \(runID): \(error)")
            }
        }
    }
}
