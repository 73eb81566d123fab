/// Shortens file-supplied text before an error message repeats it: a 10 MB CSV field or tensor name
/// must not come back as a 10 MB error, and a long value is recognisable from its start.
public enum ErrorEcho {
    public static let defaultLimit = 80

    /// `text` itself when at most `limit` characters, else its first `limit` characters, "…" and the full length.
    public static func clip(_ text: String, limit: Int = defaultLimit) -> String {
        // utf8.count is O(1) for native strings; count characters only when it might be long.
        guard text.utf8.count > limit else { return text }
        let total = text.count
        guard total > limit else { return text }
        return String(text.prefix(limit)) + "… (\(total) characters)"
    }
}
