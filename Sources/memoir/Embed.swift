import ArgumentParser
import Foundation
import TextModels

struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed texts with the MiniLM sentence encoder (384-d, L2-normalised).",
        discussion: "With --json: one object per line, {\"text\": ..., \"embedding\": [384 floats]}.")

    @Option(help: "all-MiniLM-L6-v2 (or another BERT) directory (default: $MEMOIR_MINILM_DIR, else $MEMOIR_HOME/models/all-MiniLM-L6-v2).")
    var textModel: String?

    @OptionGroup var renamed: RenamedTextModelOption

    @Option(help: "Texts per forward pass.")
    var batchSize = 32

    @Flag(help: "Emit JSON lines.")
    var json = false

    @OptionGroup var source: TextInput

    func run() throws {
        let texts = try source.resolve()
        let encoder = try SentenceEncoder(directory: ModelLocator.sentenceModelDirectory(explicit: textModel))
        let vectors = try encoder.encode(texts, batchSize: batchSize)
        for (text, vector) in zip(texts, vectors) {
            if json {
                try JSONLines.emit(EmbeddingLine(text: text, embedding: vector))
            } else {
                print(text + "\t" + vector.map { String($0) }.joined(separator: " "))
            }
        }
    }

    struct EmbeddingLine: Encodable { let text: String; let embedding: [Float] }
}
