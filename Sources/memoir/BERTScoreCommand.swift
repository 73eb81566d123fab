import ArgumentParser
import Evaluation
import Foundation
import TextModels

struct BERTScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bertscore",
        abstract: "BERTScore of candidate texts against references, as the bert-score package 0.3.13 computes it.",
        discussion: """
        One text per line in each file, the same number of lines; line N of --candidate-file is scored against line N \
        of --reference-file. Greedy matching of layer-L token vectors, [CLS]/[SEP] weighted 0, idf weights from the \
        references with --idf (ln((M+1)/(df+1))), no baseline rescaling. Default layer for all-MiniLM-L6-v2: 5. \
        Prints P, R, F per line and the means with the settings hash; with --json one object per pair \
        {"line","precision","recall","f1"} then {"summary":{"hash","pairs","precision","recall","f1"}}.
        """)

    // Before the files: the old spellings are answered with their new names even when the new ones are missing.
    @OptionGroup var renamedFiles: RenamedTextFileOptions

    @Option(help: "File of candidate texts, one per line.")
    var candidateFile: String

    @Option(help: "File of reference texts, one per line.")
    var referenceFile: String

    @Option(help: "all-MiniLM-L6-v2 (or another BERT) directory (default: $MEMOIR_MINILM_DIR, else $MEMOIR_HOME/models/all-MiniLM-L6-v2).")
    var textModel: String?

    @OptionGroup var renamed: RenamedTextModelOption

    @Option(help: "Hidden layer whose token vectors are matched (0 = embeddings; default: the model's tuned layer).")
    var layer: Int?

    @Flag(help: "Weight tokens by idf computed from the references.")
    var idf = false

    @Flag(help: "Emit JSON lines.")
    var json = false

    func run() throws {
        let candidateTexts = try Self.lines(of: candidateFile, flag: "--candidate-file")
        let referenceTexts = try Self.lines(of: referenceFile, flag: "--reference-file")
        guard candidateTexts.count == referenceTexts.count else {
            let (short, long) = candidateTexts.count < referenceTexts.count ? (candidateFile, referenceFile) : (referenceFile, candidateFile)
            throw ValidationError("\(candidateFile) has \(candidateTexts.count) lines but \(referenceFile) has \(referenceTexts.count): "
                                  + "line \(min(candidateTexts.count, referenceTexts.count) + 1) of \(long) has no counterpart in \(short)")
        }
        let scorer = try BERTScorer(modelDirectory: ModelLocator.sentenceModelDirectory(explicit: textModel), layer: layer)
        let bar = ProgressBar(label: "bertscore")
        let scores = try scorer.score(candidates: candidateTexts, references: referenceTexts, idf: idf, progress: bar.update)
        let mean = BERTScore.mean(scores)
        let hash = scorer.hashCode(idf: idf)
        if json {
            for (i, s) in scores.enumerated() {
                try JSONLines.emit(PairLine(line: i + 1, precision: s.precision.finite, recall: s.recall.finite, f1: s.f1.finite))
            }
            try JSONLines.emit(SummaryLine(summary: .init(hash: hash, pairs: scores.count, precision: mean.precision, recall: mean.recall, f1: mean.f1)))
        } else {
            print("line\tP\tR\tF")
            for (i, s) in scores.enumerated() {
                print("\(i + 1)\t" + [s.precision, s.recall, s.f1].map { String(format: "%.6f", $0) }.joined(separator: "\t"))
            }
            print("mean\t" + [mean.precision, mean.recall, mean.f1].map { String(format: "%.6f", $0) }.joined(separator: "\t"))
            print(hash)
        }
    }

    /// The file's lines (a final newline ends the last line, CRLF accepted); an empty or
    /// white-space-only line is an error naming the file and line.
    static func lines(of path: String, flag: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(flag): cannot read \(path)") }
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("\(path): not UTF-8 text") }
        // "\r\n" is one Character in Swift, so split on both forms explicitly.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw ValidationError("\(path): no lines") }
        if let blank = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
            throw ValidationError("\(path):\(blank + 1): empty line (every line must hold a text)")
        }
        return lines
    }

    struct PairLine: Encodable { let line: Int; let precision: Double?, recall: Double?, f1: Double? }
    struct SummaryLine: Encodable {
        struct Summary: Encodable { let hash: String; let pairs: Int; let precision: Double, recall: Double, f1: Double }
        let summary: Summary
    }
}

private extension Double {
    /// nil (JSON null) for NaN, which bert-score yields when a text's idf weights sum to 0.
    var finite: Double? { isNaN ? nil : self }
}
