import Numerics
import Testing

/// Issue #15: text from files, the store or an LLM never drives the terminal. `PrintableText` is what
/// `memoir`'s `TerminalText` (answers, captions, `case show`) and every `ErrorEcho.clip` use.
@Suite struct PrintableTextTests {
    static let esc = "\u{1B}"

    @Test(arguments: [
        ("red \(esc)[31mALERT\(esc)[0m done", "red ALERT done"),               // SGR colours (CSI)
        ("a\(esc)[2J\(esc)[H\(esc)[?25lb", "ab"),                               // clear screen, home, hide cursor
        ("x\(esc)]0;pwned\u{07}y", "xy"),                                       // OSC title, BEL-terminated
        ("x\(esc)]8;;http://evil\(esc)\\link\(esc)]8;;\(esc)\\y", "xlinky"),    // OSC 8 hyperlink, ST-terminated
        ("a\(esc)Pq#0;2;0;0;0\(esc)\\b", "ab"),                                 // DCS (sixel)
        ("a\(esc)(0b\(esc)cc\(esc)7d", "abcd"),                                 // charset switch, reset, save cursor
        ("a\u{9B}31mb\u{9D}0;t\u{9C}c\u{85}d", "abcd"),                         // C1 CSI, C1 OSC … ST, NEL
        ("a\u{00}\u{08}\u{7F}\u{0C}b\rc", "abc"),                               // NUL, backspace, DEL, form feed, CR
        ("ends with a lone \(esc)", "ends with a lone "),
        ("unterminated \(esc)]0;title\nnext line", "unterminated \nnext line"), // a string never swallows later lines
        ("MMSE 24/30 (mild)\n\t- [941_S_0001] É ü 中文 🙂", "MMSE 24/30 (mild)\n\t- [941_S_0001] É ü 中文 🙂"),
    ])
    func escapeSequencesAndControlsAreRemovedLayoutKept(input: String, expected: String) {
        #expect(PrintableText.stripped(input, keepingLayout: true) == expected)
    }

    @Test func withoutLayoutNewlinesAndTabsBecomeSpaces() {
        #expect(PrintableText.stripped("row 3\nfield\tX\r\n\(Self.esc)[1mbold", keepingLayout: false) == "row 3 field X bold")
        let plain = "plain text, nothing to do"
        #expect(PrintableText.stripped(plain, keepingLayout: false) == plain)
    }

    @Test func errorEchoesAreCleanAndStillClipped() {
        #expect(ErrorEcho.clip("S1\(Self.esc)[2J\(Self.esc)]0;x\u{07}\nrow") == "S1 row")
        // A long hostile value: the echo is short, clean and counts the whole text.
        let hostile = String(repeating: "\(Self.esc)[31mA\u{9B}2J\n", count: 200_000)
        let clipped = ErrorEcho.clip(hostile)
        #expect(!clipped.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(clipped.hasPrefix("A A A") && clipped.count < 120 && clipped.contains("characters)"), "\(clipped)")
        // Controls only near the end of a long value are outside the window: the head is clean anyway.
        let tail = String(repeating: "x", count: 5_000) + "\(Self.esc)[2J"
        #expect(ErrorEcho.clip(tail) == String(repeating: "x", count: 80) + "… (5004 characters)")
        #expect(ErrorEcho.clip("short") == "short")
    }
}
