@testable import Application
import Testing

/// The case list's search term: it finds what `lowercased().contains` finds, beyond ASCII too.
@Suite struct CaseInsensitiveNeedleTests {
    @Test func findsWhatLoweredContainsFinds() {
        // Letters whose case folding is one scalar to one scalar (no combining marks, no CR LF: there `String`
        // compares whole characters and bytes would not).
        let alphabet = Array("aAbBeEzZ09 _-.ÉéΕεΣσςİÅåßΩ4").map(String.init)
        var seed: UInt64 = 2363
        func next(_ n: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % UInt64(n)) }
        for _ in 0..<5_000 {
            let text = (0..<next(12)).map { _ in alphabet[next(alphabet.count)] }.joined()
            let term = (0..<(1 + next(3))).map { _ in alphabet[next(alphabet.count)] }.joined()
            let expected = text.lowercased().contains(term.lowercased())
            #expect(CaseInsensitiveNeedle(term)?.isFound(in: text) == expected, "\(term) in \(text)")
        }
    }

    @Test func examplesAndTheEmptyTerm() {
        #expect(CaseInsensitiveNeedle("TWO APOE Ε4")?.isFound(in: "Carries two APOE ε4 alleles.") == true)
        #expect(CaseInsensitiveNeedle("s0042")?.isFound(in: "S0042") == true)
        #expect(CaseInsensitiveNeedle("ε4 allele")?.isFound(in: "No ε3 allele.") == false)
        #expect(CaseInsensitiveNeedle("long term")?.isFound(in: "long") == false)
        #expect(CaseInsensitiveNeedle("") == nil)
    }
}
