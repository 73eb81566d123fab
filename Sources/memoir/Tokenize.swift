import ArgumentParser
import TextModels

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the WordPiece token ids of texts, with [CLS]/[SEP] and truncation as the encoder sees them.",
        discussion: "With --json: one object per line, {\"text\", \"ids\", \"tokens\", \"type_ids\"}.")

    @Option(help: "all-MiniLM-L6-v2 (or another BERT) directory (default: $MEMOIR_MINILM_DIR, else $MEMOIR_HOME/models/all-MiniLM-L6-v2).")
    var textModel: String?

    @OptionGroup var renamed: RenamedTextModelOption

    @Option(help: "Truncate to this many tokens, special tokens included.")
    var maxLength = 256

    @Option(help: "Encode each text as a pair with this second text (cross-encoder input).")
    var pair: String?

    @Flag(help: "Emit JSON lines.")
    var json = false

    @OptionGroup var source: TextInput

    func validate() throws {
        guard maxLength >= 3 else { throw ValidationError("--max-length must be at least 3") }
    }

    func run() throws {
        let directory = try ModelLocator.sentenceModelDirectory(explicit: textModel)
        let tokenizer = try WordPieceTokenizer(vocabularyFile: directory + "/vocab.txt")
        for text in try source.resolve() {
            let encoded = pair.map { tokenizer.encode(text, $0, maxLength: maxLength) } ?? tokenizer.encode(text, maxLength: maxLength)
            let tokens = encoded.ids.map { tokenizer.vocabulary.token(for: $0) ?? "?" }
            if json {
                try JSONLines.emit(TokenLine(text: text, ids: encoded.ids, tokens: tokens, type_ids: encoded.typeIDs))
            } else {
                print(encoded.ids.map(String.init).joined(separator: " "))
            }
        }
    }

    struct TokenLine: Encodable { let text: String; let ids: [Int32]; let tokens: [String]; let type_ids: [Int32] }
}
