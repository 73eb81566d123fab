import ArgumentParser

@main
struct Memoir: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memoir",
        abstract: "Answers questions about an Alzheimer's disease case, grounded in similar historical subjects.",
        discussion: """
        Text models resolve from --model, then $MEMOIR_MINILM_DIR, then \
        $MEMOIR_HOME/models/all-MiniLM-L6-v2 (MEMOIR_HOME defaults to ~/.cache/memoir); \
        Scripts/setup.sh installs them there.
        """,
        subcommands: [Synth.self, Ingest.self, CaseCommand.self, Embed.self, Tokenize.self, Rerank.self, Encode.self, Predict.self, EvalCommand.self, IndexCommand.self, Retrieve.self, Ask.self, BERTScoreCommand.self, QACommand.self]
    )
}
