import Foundation

extension NSRegularExpression {
    /// Whether the pattern occurs anywhere in `text`: the one question most of the verifier's patterns answer.
    func matches(in text: String) -> Bool {
        firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The text of the first match, to quote in a verdict's issue; nil when the pattern does not occur.
    func firstMatchText(in text: String) -> Substring? {
        firstMatch(in: text, range: NSRange(text.startIndex..., in: text)).flatMap { Range($0.range, in: text) }.map { text[$0] }
    }
}
