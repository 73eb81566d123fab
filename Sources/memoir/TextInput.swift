import ArgumentParser
import Foundation

/// Texts from positional arguments or from a file (one per line; "-" reads standard input).
struct TextInput: ParsableArguments {
    @Option(name: .long, help: "Read texts from this file, one per line ('-' for standard input).")
    var input: String?

    @Argument(help: "Texts to process (when --input is not given).")
    var texts: [String] = []

    func resolve() throws -> [String] {
        if let input {
            guard texts.isEmpty else { throw ValidationError("Give either --input or texts as arguments, not both.") }
            let data: Data
            if input == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard let contents = FileManager.default.contents(atPath: input) else {
                    throw ValidationError("cannot read input file \(input)")
                }
                data = contents
            }
            guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("\(input) is not UTF-8 text") }
            var lines = text.components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            return lines
        }
        guard !texts.isEmpty else { throw ValidationError("No texts given: pass them as arguments or with --input FILE.") }
        return texts
    }
}
