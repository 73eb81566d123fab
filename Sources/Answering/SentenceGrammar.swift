import Foundation

/// Prompt v8's grammar for the sentences of an answer, as regular expressions llama.cpp compiles into its grammar.
///
/// v7's bounds stay (a sentence of at most 30 words, a word of at most 20 characters with at most one decimal part,
/// " et al. 2005" continuing a sentence), but a word is drawn from English letters, digits, ASCII punctuation and the
/// few symbols the evidence itself prints (ε, –, ±, ≤, ≥, ×, ’) instead of "any character but space, full stop, quote,
/// backslash or newline". Under v7, 5 of Qwen2.5-0.5B's 200 answers and all 3 of Qwen2.5-Coder-1.5B's degenerate
/// answers drifted into Chinese mid-sentence (the demo's "estimatedimates,以及ne"): v8's grammar has no path for it.
///
/// Released with v8: never edit these; a version that needs another grammar adds its own beside them.
public enum SentenceGrammar {
    /// One character of a word. `-` stands last so that it is literal in both NSRegularExpression and llama.cpp's classes.
    static let wordCharacter = "[A-Za-z0-9,;:'’()/%+<>=?!&*#_~ε–±≤≥×-]"
    static let word = "\(wordCharacter){1,20}(\\.[0-9]{1,3}\(wordCharacter){0,8})?"
    static let sentence = "\(word)( \(word)| et al\\. [0-9]{4}\\)?){0,29}"

    /// An answer: `opening` (a regex, empty for none), then at most two sentences, the last one's full stop optional.
    public static func answer(opening: String) -> String { "^\(opening)(\(sentence)\\. ){0,1}\(sentence)\\.?$" }

    /// Prompt v9's answer: `opening`, then one sentence. Under v8 the demo's second sentence held two of its three false
    /// claims ("The case's age is 80 years, which is the highest age in the list"); v9's findings say the rest.
    public static func singleSentenceAnswer(opening: String) -> String { finding(opening: opening) }

    /// A finding: `opening` (a regex), then one sentence.
    public static func finding(opening: String) -> String { "^\(opening)\(sentence)\\.?$" }

    /// `openings` as one regex group matching any of them literally; empty when there are none.
    public static func anyOpening(_ openings: [String]) -> String {
        openings.isEmpty ? "" : "(" + openings.map(literal).joined(separator: "|") + ")"
    }

    /// The characters llama.cpp's pattern converter accepts escaped outside a class. It answers any other escape by
    /// dropping the whole pattern ("unsupported escape: \/, accepting any string", a server-log warning the client never
    /// sees), and NSRegularExpression.escapedPattern escapes "/": v8's first openings stated "MMSE of 26/30" that way and
    /// the grammar let Qwen2.5-0.5B write anything.
    /// (No backslash: llama.cpp has no escape for it, and no opening holds one.)
    static let escapable: Set<Character> = ["^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}"]

    /// `text` as a regex matching it literally, escaping only `escapable`.
    public static func literal(_ text: String) -> String {
        var out = ""
        for character in text {
            if escapable.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
