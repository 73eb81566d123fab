/// A search term matched against many texts ignoring case, as `text.lowercased().contains(term.lowercased())`
/// would, but without building a lowered `String` per text: at 10⁵ captions that lowering alone took most of a
/// second. Both sides are folded scalar by scalar with Unicode's lowercase mapping (ASCII inline) into UTF-8 bytes
/// and compared bytewise, so "TWO APOE Ε4" finds "two APOE ε4". Unlike `String.contains`, canonically equivalent
/// spellings (a precomposed "é" against "e" and a combining accent) do not match each other.
struct CaseInsensitiveNeedle: Sendable {
    private let folded: [UInt8]

    /// Nil for an empty term (which every text would contain).
    init?(_ term: String) {
        let folded = Self.fold(term)
        guard !folded.isEmpty else { return nil }
        self.folded = folded
    }

    func isFound(in text: String) -> Bool {
        let haystack = Self.fold(text)
        guard haystack.count >= folded.count else { return false }
        return haystack.withUnsafeBufferPointer { h in
            folded.withUnsafeBufferPointer { n in
                let first = n[0], last = h.count - n.count
                var i = 0
                while i <= last {
                    if h[i] == first, (1..<n.count).allSatisfy({ h[i + $0] == n[$0] }) { return true }
                    i += 1
                }
                return false
            }
        }
    }

    private static func fold(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(truncatingIfNeeded: scalar.value)
                out.append((65...90).contains(byte) ? byte | 0x20 : byte)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        return out
    }
}
