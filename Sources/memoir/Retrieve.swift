import Application
import ArgumentParser
import Cohort
import Foundation
import FusedEncoder

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

    @Option(help: "all-MiniLM-L6-v2 directory (for --text; default: $MEMOIR_MINILM_DIR, else $MEMOIR_HOME/models/all-MiniLM-L6-v2).")
    var textModel: String?

    @OptionGroup var renamed: RenamedTextModelOption

    @Flag(help: "Also print each neighbour's caption.")
    var captions = false

    @Flag(help: "With --case: the prognosis read off the most similar same-diagnosis neighbours' later courses (needs visits, from an ADNIMERGE ingest).")
    var prognosis = false

    @Option(help: "Months within which progression counts, for --prognosis.")
    var horizon: Double = 24

    @Flag(help: "Emit one JSON object.")
    var json = false

    func validate() throws {
        guard (caseID == nil) != (text == nil) else { throw ValidationError("give exactly one of --case ID or --text TEXT") }
        if let text, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--text is empty") }
        guard k >= 1 else { throw ValidationError("-k must be at least 1") }
        if prognosis, caseID == nil { throw ValidationError("--prognosis needs --case") }
        guard horizon > 0, horizon <= 240 else { throw ValidationError("--horizon must be in 1…240 months") }
    }

    func run() throws {
        let retriever = try CaseRetriever(store: try store.open(caseID == nil ? .readOnly : .readWrite), encoder: try EncoderLocator.load(explicit: encoder),
                                          indexDirectory: indexOptions.index)
        let result = if let caseID {
            try retriever.neighbours(ofCase: caseID, modalities: modalities, k: k)
        } else {
            try retriever.neighbours(ofText: text ?? "", k: k, projection: projection, textModel: textModel)
        }
        let neighbours = result.neighbours.map { n in
            Output.Neighbour(rank: n.rank, subjectID: n.stored.id, similarity: n.similarity, diagnosis: n.stored.record.diagnosis.rawValue,
                             caption: captions ? n.stored.caption : nil)
        }
        var estimate: Prognosis?
        if prognosis, let caseID { estimate = try retriever.prognosis(ofCase: caseID, neighbours: result, horizonMonths: horizon) }
        let output = Output(query: caseID.map { ["case": $0] } ?? ["text": text ?? ""], modalities: caseID == nil ? nil : modalities.key,
                            index: retriever.index.directory, neighbours: neighbours, prognosis: estimate,
                            prognosisStatement: estimate?.statement, seconds: result.seconds)
        if json {
            try JSONLines.emit(output)
            return
        }
        for n in neighbours {
            print(String(format: "%3d  %@  %.4f  %@", n.rank, n.subjectID, n.similarity, n.diagnosis))
            if let caption = n.caption { print("     \(TerminalText.safe(caption))") }
        }
        if prognosis { print(estimate?.statement ?? "no prognosis: dementia has no worse stage to progress to") }
    }

    struct Output: Encodable {
        struct Neighbour: Encodable {
            let rank: Int, subjectID: String, similarity: Float, diagnosis: String, caption: String?
        }
        let query: [String: String]
        let modalities: String?
        let index: String
        let neighbours: [Neighbour]
        let prognosis: Prognosis?
        let prognosisStatement: String?
        let seconds: Double
    }
}
