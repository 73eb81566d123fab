/// Shortens file-supplied text before an error message repeats it: a 10 MB CSV field or tensor name
/// must not come back as a 10 MB error, and a long value is recognisable from its start. Control characters
/// are stripped, so every echo is safe to print.
public enum ErrorEcho {
    public static let defaultLimit = 80

    /// `text` itself when at most `limit` characters, else its first `limit` characters, "…" and the full length;
    /// control characters and escape sequences removed first, newlines and tabs turned into spaces
    /// (`PrintableText`), so an echoed value can neither drive the terminal nor break the message's line.
    public static func clip(_ text: String, limit: Int = defaultLimit) -> String {
        // Only a window of a long text is cleaned (a 10 MB field is not copied); the count is of the whole text.
        let window = max(0, limit) * 8 + 64
        guard text.utf8.count > window else {
            let plain = PrintableText.stripped(text, keepingLayout: false)
            guard plain.utf8.count > limit, plain.count > limit else { return plain }
            return String(plain.prefix(limit)) + "… (\(plain.count) characters)"
        }
        let total = text.count
        guard total > limit else { return PrintableText.stripped(text, keepingLayout: false) }
        let head = PrintableText.stripped(String(String.UnicodeScalarView(text.unicodeScalars.prefix(window))), keepingLayout: false)
        return String(head.prefix(limit)) + "… (\(total) characters)"
    }
}
