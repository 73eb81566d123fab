import Foundation

/// Remarks that are not errors (e.g. "no reranker installed"), on standard error.
enum Notes {
    static func print(_ note: String) {
        FileHandle.standardError.write(Data("note: \(note)\n".utf8))
    }
}
