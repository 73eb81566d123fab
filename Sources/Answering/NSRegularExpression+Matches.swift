import Foundation

extension NSRegularExpression {
    /// Whether the pattern occurs anywhere in `text`: the one question most of the verifier's patterns answer.
    func matches(in text: String) -> Bool {
        firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
