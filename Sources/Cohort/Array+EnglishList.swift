extension Array where Element == String {
    /// The items as an English list: "a", "a and b", "a, b and c" ("" when empty). Shared by the QA set's references and
    /// Memoir's answer sentences, which must read alike.
    public var listedInEnglish: String {
        count < 2 ? joined() : dropLast().joined(separator: ", ") + " and " + self[count - 1]
    }
}
