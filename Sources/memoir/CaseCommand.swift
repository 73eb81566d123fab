import ArgumentParser
import Store
import Cohort
import Foundation

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Inspect cases in the store.", subcommands: [Show.self, List.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one case: record, split, measures and caption.")

        @Argument(help: "Subject id (PTID).")
        var id: String

        @OptionGroup var store: StoreOptions

        @Flag(help: "Emit JSON.")
        var json = false

        func run() throws {
            let c = try store.open(.readOnly).storedCase(id)
            if json { try JSONLines.emit(c); return }
            // Paths, id and caption are text another tool may have written: never let them drive the terminal.
            let r = c.record
            print("\(TerminalText.safe(r.subjectID))  \(r.diagnosis.rawValue)  split \(c.split.rawValue)")
            print("T1: \(r.t1Path.map(TerminalText.safe) ?? "none")")
            print("FA: \(r.faPath.map(TerminalText.safe) ?? "none")")
            print(TerminalText.safe(c.caption))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List subject ids, optionally of one split or diagnosis.")

        @OptionGroup var store: StoreOptions

        @Option(help: "train or test.")
        var split: Split?

        @Option(help: "Only this diagnosis (CN, MCI or Dementia).")
        var diagnosis: Diagnosis?

        @Flag(help: "One JSON object per case: id, diagnosis, split, T1/FA present.")
        var json = false

        func run() throws {
            for c in try store.open(.readOnly).allCases(split: split) where diagnosis == nil || c.record.diagnosis == diagnosis {
                if json {
                    try JSONLines.emit(Row(id: c.id, diagnosis: c.record.diagnosis.rawValue, split: c.split.rawValue,
                                           t1: c.record.t1Path != nil, fa: c.record.faPath != nil))
                } else {
                    print(TerminalText.safe(c.id))
                }
            }
        }

        struct Row: Encodable { let id: String, diagnosis: String, split: String, t1: Bool, fa: Bool }
    }
}

extension Split: ExpressibleByArgument {}
extension Diagnosis: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
