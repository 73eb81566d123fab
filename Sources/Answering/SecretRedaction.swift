import Foundation

/// Removes credentials from text bound for an error, a log line or `asks.error`: a server may echo the
/// request's `Authorization` header or the key itself in its error body.
enum SecretRedaction {
    static let placeholder = "[redacted]"
    /// Shorter keys are not scrubbed by value: replacing every "ab" would garble the message and hide nothing.
    static let minimumSecretLength = 4

    private static let bearer = try? NSRegularExpression(pattern: #"(?i)\b(bearer)(\s+|%20|\+)[^\s"',;)}\]]+"#)

    /// `text` without `secret` (also JSON-escaped, and a prefix of it cut off at the end of an excerpt) and
    /// without anything shaped like `Bearer TOKEN`.
    static func scrub(_ text: String, secret: String?) -> String {
        var out = text
        if let secret, secret.count >= minimumSecretLength {
            for form in Set([secret, secret.replacingOccurrences(of: "/", with: #"\/"#)]) {
                out = out.replacingOccurrences(of: form, with: placeholder)
            }
            out = scrubTrailingPrefix(out, of: secret)
        }
        if let bearer = bearer {
            let range = NSRange(out.startIndex..., in: out)
            out = bearer.stringByReplacingMatches(in: out, range: range, withTemplate: "$1 \(placeholder)")
        }
        return out
    }

    /// An excerpt truncated inside the key ends with the key's first characters (before an optional "…").
    private static func scrubTrailingPrefix(_ text: String, of secret: String) -> String {
        let ellipsis = text.hasSuffix("…") ? "…" : ""
        let body = text.dropLast(ellipsis.count)
        for length in stride(from: min(secret.count - 1, body.count), through: minimumSecretLength, by: -1)
        where body.hasSuffix(secret.prefix(length)) {
            return body.dropLast(length) + placeholder + ellipsis
        }
        return text
    }
}
