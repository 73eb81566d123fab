import ArgumentParser

/// `memoir qa …`: the question/answer sets evaluations run on.
struct QACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qa", abstract: "Build and check QA sets (JSONL; schema in Fixtures/qa/README.md).",
        subcommands: [QABuild.self, QACheck.self])
}
