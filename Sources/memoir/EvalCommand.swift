import ArgumentParser

/// `memoir eval …`: measurements of the models on a store's test split.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate Memoir's models on the case store.", subcommands: [EvalEncoder.self, EvalRetrieval.self, EvalVQA.self, EvalPrognosis.self])
}
