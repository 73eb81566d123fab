import Foundation

/// BERT's normaliser and pre-tokeniser, as the Hugging Face fast tokenizer (`BertNormalizer` +
/// `BertPreTokenizer`) applies them: drop control characters, map white space to spaces,
/// isolate CJK ideographs, strip accents and lower-case, then split on white space and punctuation.
public struct BasicTokenizer: Sendable {
    public var lowercase: Bool
    public var stripAccents: Bool

    public init(lowercase: Bool = true, stripAccents: Bool? = nil) {
        self.lowercase = lowercase
        // As in transformers: accents are stripped when lower-casing unless explicitly disabled.
        self.stripAccents = stripAccents ?? lowercase
    }

    /// The words (pre-tokens) of `text`.
    public func words(_ text: String) -> [String] {
        var normalized = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) {
                normalized.append(" ")
            } else if Self.isCJK(scalar) {
                normalized.append(" "); normalized.append(scalar); normalized.append(" ")
            } else {
                normalized.append(scalar)
            }
        }
        var string = String(normalized)
        if stripAccents {
            let decomposed = string.decomposedStringWithCanonicalMapping.unicodeScalars
            string = String(String.UnicodeScalarView(decomposed.filter { $0.properties.generalCategory != .nonspacingMark }))
        }
        if lowercase { string = Self.lowercased(string) }

        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() { if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() } }
        for scalar in string.unicodeScalars {
            if Self.isWhitespace(scalar) {
                flush()
            } else if Self.isPunctuation(scalar) {
                flush()
                words.append(String(scalar))
            } else {
                current.append(scalar)
            }
        }
        flush()
        return words
    }

    /// Per-scalar full lower-casing (Rust's `char::to_lowercase`), which unlike
    /// `String.lowercased()` applies no context-sensitive rules such as final sigma.
    static func lowercased(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if scalar.properties.changesWhenLowercased {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Tab, newline and carriage return count as white space, not control characters.
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == "\t" || s == "\n" || s == "\r" || s.properties.isWhitespace
    }

    /// Unicode "other" categories (Cc, Cf, Cs, Co, Cn), except the white-space controls.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        if s == "\t" || s == "\n" || s == "\r" { return false }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// ASCII symbols count as punctuation too (BERT treats `$`, `^`, `` ` `` as punctuation).
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideograph blocks BERT isolates (not Hangul, kana or other scripts).
    ///
    /// These are the Hugging Face `tokenizers` (Rust) ranges, which sentence-transformers uses.
    /// They differ from Google's and transformers' Python `_is_chinese_char` in one place:
    /// Extension E starts at U+2B920 there, not U+2B820, so U+2B820–U+2B91F are not isolated.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
