/// Text from files, the store or an LLM made safe to print on a terminal or inside a one-line message:
/// escape sequences are removed whole (CSI `ESC [ … final`, OSC/DCS/APC/PM/SOS strings up to BEL or
/// `ESC \`, two- and three-byte `ESC` sequences, and their C1 forms), and every other C0/C1 control
/// character and DEL is dropped. A hostile value can then neither recolour, retitle or clear the terminal
/// nor move the cursor to overwrite what was printed before it.
public enum PrintableText {
    /// `keepingLayout`: newlines and tabs stay (an answer, a caption); otherwise they become spaces, so a value
    /// quoted in an error stays on its line. Carriage returns are always dropped (they would overwrite the line).
    public static func stripped(_ text: String, keepingLayout: Bool) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0.value) }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var state = State.text
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i], v = scalar.value
            i += 1
            switch state {
            case .text:
                switch v {
                case 0x1B: state = .escape
                case 0x9B: state = .controlSequence
                case 0x90, 0x98, 0x9D, 0x9E, 0x9F: state = .controlString
                case 0x0A, 0x09: out.append(keepingLayout ? scalar : " ")
                case _ where isControl(v): break
                default: out.append(scalar)
                }
            case .escape:
                switch v {
                case 0x5B: state = .controlSequence                         // ESC [
                case 0x5D, 0x50, 0x58, 0x5E, 0x5F: state = .controlString  // ESC ] P X ^ _
                case 0x20...0x2F: state = .escapeIntermediate               // e.g. ESC ( B
                case 0x30...0x7E: state = .text                             // ESC c, ESC 7, ...
                default: state = .text; i -= 1                              // a lone ESC: read this scalar as text
                }
            case .escapeIntermediate:
                if (0x30...0x7E).contains(v) { state = .text } else if !(0x20...0x2F).contains(v) { state = .text; i -= 1 }
            case .controlSequence:
                if (0x40...0x7E).contains(v) { state = .text } else if !(0x20...0x3F).contains(v) { state = .text; i -= 1 }
            case .controlString:
                // Ends at BEL or ST; also at a line break, so an unterminated string cannot swallow the rest of an answer.
                if v == 0x07 || v == 0x9C { state = .text } else if v == 0x1B { state = .controlStringEscape } else if v == 0x0A { state = .text; i -= 1 }
            case .controlStringEscape:
                if v == 0x5C { state = .text } else { state = .controlString; i -= 1 }
            }
        }
        return String(out)
    }

    /// C0 controls, DEL and C1 controls (newline and tab included: callers decide about those).
    static func isControl(_ v: UInt32) -> Bool { v < 0x20 || (0x7F...0x9F).contains(v) }

    private enum State { case text, escape, escapeIntermediate, controlSequence, controlString, controlStringEscape }
}
