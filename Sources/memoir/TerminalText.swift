/// Text from the store or an LLM made safe to print on a terminal: control characters (escape sequences
/// among them) are dropped, newlines and tabs kept.
enum TerminalText {
    static func safe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { scalar in
            scalar == "\n" || scalar == "\t" || !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
        }))
    }
}
