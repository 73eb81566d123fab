/// Turns a streamed JSON answer into the text a reader should see as it arrives: the characters of the
/// "answer" string value, unescaped, and nothing else. A reply that does not start with "{" is prose and
/// passes through unchanged.
public struct AnswerTextStream: Sendable {
    private enum State: Sendable { case start, prose, seekingKey, inAnswer, escape, unicode(String), done }
    private var state = State.start
    /// Text seen while looking for the answer key.
    private var pending = ""

    public init() {}

    /// The readable text in `delta` (possibly empty).
    public mutating func feed(_ delta: String) -> String {
        var out = ""
        for ch in delta {
            switch state {
            case .start:
                if ch.isWhitespace { continue }
                state = ch == "{" ? .seekingKey : .prose
                if case .prose = state { out.append(ch) }
            case .prose:
                out.append(ch)
            case .seekingKey:
                pending.append(ch)
                // `"answer"` then optional spaces, a colon, optional spaces and the opening quote.
                if ch == "\"", let key = pending.range(of: #""answer"\s*:\s*"$"#, options: .regularExpression), !key.isEmpty {
                    state = .inAnswer
                    pending = ""
                } else if pending.count > 4096 {
                    pending.removeFirst(pending.count - 64)
                }
            case .inAnswer:
                if ch == "\\" { state = .escape } else if ch == "\"" { state = .done } else { out.append(ch) }
            case .escape:
                switch ch {
                case "n": out.append("\n"); state = .inAnswer
                case "t": out.append("\t"); state = .inAnswer
                case "u": state = .unicode("")
                default: out.append(ch); state = .inAnswer
                }
            case let .unicode(hex):
                let digits = hex + String(ch)
                if digits.count < 4 { state = .unicode(digits); continue }
                if let code = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(code) { out.unicodeScalars.append(scalar) }
                state = .inAnswer
            case .done:
                return out
            }
        }
        return out
    }
}
