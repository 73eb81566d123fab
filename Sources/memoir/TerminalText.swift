import Numerics

/// Text from the store or an LLM made safe to print on a terminal: escape sequences and other control
/// characters are dropped, newlines and tabs kept (`PrintableText`).
enum TerminalText {
    static func safe(_ text: String) -> String { PrintableText.stripped(text, keepingLayout: true) }
}
