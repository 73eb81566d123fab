import ArgumentParser
import Cohort
import Foundation
import FusedEncoder
import Retrieval
import TextModels

struct Retrieve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the training cases most similar to a stored case, or to a free-text description.",
        discussion: """
        --case ID: the case's fused embedding (cached, else computed and cached) searched in the case index; \
        the case itself is never returned. --text "...": the text embedded by all-MiniLM-L6-v2 and mapped into \
        the case space by the learned projection (--projection, $MEMOIR_PROJECTION_DIR, then \
        $MEMOIR_HOME/models/text-projection). Scores are cosine similarities.
        """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var indexOptions: IndexOptions

    @Option(name: .customLong("case"), help: "Subject id of a stored case.")
    var caseID: String?

    @Option(help: "A free-text description of a case.")
    var text: String?

    @Option(name: .shortAndLong, help: "Number of neighbours.")
    var k = 50

    @Option(help: "Modalities of the query case the encoder may use.")
    var modalities: ModalitySet = .all

    @Option(help: "Fused encoder directory (default: see `memoir encode --help`).")
    var encoder: String?

    @Option(help: "Text projection directory (for --text).")
    var projection: String?

    @Option(help: "all-MiniLM-L6-v2 directory (for --text; default: see `memoir --help`).")
    var model: String?

    @Flag(help: "Also print each neighbour's caption.")
    var captions = false

    @Flag(help: "Emit one JSON object.")
    var json = false

    func validate() throws {
        guard (caseID == nil) != (text == nil) else { throw ValidationError("give exactly one of --case ID or --text TEXT") }
        if let text, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--text is empty") }
        guard k >= 1 else { throw ValidationError("-k must be at least 1") }
    }

    func run() throws {
        let caseStore = try store.open()
        let fused = try EncoderLocator.load(explicit: encoder)
        let directory = indexOptions.directory(forStore: caseStore.path)
        let index = try CaseIndex(directory: directory, expectedHash: fused.weightsHash,
                                  expectedIDs: Set(try caseStore.subjectIDs(split: .train)))
        let start = Date()
        let query: [Float]
        if let caseID {
            let record = try caseStore.storedCase(caseID).record
            query = try EmbeddingCache(store: caseStore, encoder: fused).embedding(of: record, modalities: modalities, encoder: fused).vector
        } else {
            let projector = try TextProjection.located(explicit: projection)
            if let hash = projector.config.caseEncoderHash, hash != fused.weightsHash {
                throw ValidationError("the text projection at \(projector.directory) was trained for encoder \(hash.prefix(12)), "
                    + "the current encoder is \(fused.weightsHash.prefix(12))")
            }
            let sentence = try SentenceEncoder(directory: ModelLocator.sentenceModelDirectory(explicit: model))
            query = try projector.project(try sentence.encode(text!))
        }
        let hits = try index.search(query, k: k, excluding: caseID)
        let seconds = Date().timeIntervalSince(start)
        let cases = try Dictionary(uniqueKeysWithValues: hits.map { ($0.subjectID, try caseStore.storedCase($0.subjectID)) })
        let neighbours = hits.enumerated().map { rank, hit in
            Output.Neighbour(rank: rank + 1, subjectID: hit.subjectID, similarity: hit.score,
                             diagnosis: cases[hit.subjectID]!.record.diagnosis.rawValue,
                             caption: captions ? cases[hit.subjectID]!.caption : nil)
        }
        let output = Output(query: caseID.map { ["case": $0] } ?? ["text": text!], modalities: caseID == nil ? nil : modalities.key,
                            index: directory, neighbours: neighbours, seconds: seconds)
        if json {
            try JSONLines.emit(output)
            return
        }
        for n in neighbours {
            print(String(format: "%3d  %@  %.4f  %@", n.rank, n.subjectID, n.similarity, n.diagnosis))
            if let caption = n.caption { print("     \(caption)") }
        }
    }

    struct Output: Encodable {
        struct Neighbour: Encodable {
            let rank: Int, subjectID: String, similarity: Float, diagnosis: String, caption: String?
            enum CodingKeys: String, CodingKey { case rank, subjectID = "subject_id", similarity, diagnosis, caption }
        }
        let query: [String: String]
        let modalities: String?
        let index: String
        let neighbours: [Neighbour]
        let seconds: Double
    }
}
