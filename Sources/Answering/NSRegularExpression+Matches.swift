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

    /// Words that deny what follows ("does not indicate impairment", "neither raised nor reduced", "no sign of"): a claim
    /// they govern is denied, not made. One list for every checker that must not flag a denial.
    static let negation = try! NSRegularExpression(pattern: #"\bnot\b|n['’]t\b|\bneither\b|\bnor\b|\bno\b|\bnever\b|\bwithout\b|\bfree of\b"#,
                                                   options: [.caseInsensitive])
}
