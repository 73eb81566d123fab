import Application
import ArgumentParser
import Foundation

struct Memoir: AsyncParsableCommand {
    /// Computed, so that `--version` (which loads the encoder to report its hash) costs nothing otherwise.
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "memoir",
            abstract: "Answers questions about an Alzheimer's disease case, grounded in similar historical subjects.",
            discussion: """
            Models, prompts, the store and the LLM endpoint resolve from flags, then environment variables, \
            then $MEMOIR_HOME (default ~/.cache/memoir), never from the working directory; Scripts/setup.sh \
            installs them there. `memoir --version` says what this build finds.
            """,
            version: CommandLine.arguments.contains("--version") ? VersionReport.text() : VersionReport.memoirVersion,
            subcommands: [Synth.self, Ingest.self, CaseCommand.self, Embed.self, Tokenize.self, Rerank.self, Encode.self, Predict.self,
                          EvalCommand.self, IndexCommand.self, Retrieve.self, Ask.self, BERTScoreCommand.self, QACommand.self, Serve.self, Doctor.self]
        )
    }
}
