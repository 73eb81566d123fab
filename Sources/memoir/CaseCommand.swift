import ArgumentParser
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
            let c = try store.open().storedCase(id)
            if json { try JSONLines.emit(c); return }
            let r = c.record
            print("\(r.subjectID)  \(r.diagnosis.rawValue)  split \(c.split.rawValue)")
            print("T1: \(r.t1Path ?? "none")")
            print("FA: \(r.faPath ?? "none")")
            print(c.caption)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List subject ids, optionally of one split.")

        @OptionGroup var store: StoreOptions

        @Option(help: "train or test.")
        var split: Split?

        func run() throws {
            for id in try store.open().subjectIDs(split: split) { print(id) }
        }
    }
}

extension Split: ExpressibleByArgument {}
