import Application
import ArgumentParser
import Foundation
import Server

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the JSON API and the web workspace (cases, slices, neighbours, predictions, asking).",
        discussion: """
        Binds 127.0.0.1 unless --host says otherwise; any other address needs a token (--token-file PATH, or \
        $MEMOIR_SERVE_TOKEN), which every API call must then send as 'Authorization: Bearer TOKEN'. Prints the \
        workspace's URL once listening (with the token in its #fragment, which browsers never send). The API is \
        described at /openapi.json; /health and /metrics (Prometheus) are beside it. Asks go to the LLM one at a \
        time (--ask-concurrency), with --ask-queue more waiting; beyond that they get 503 with Retry-After.
        """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var llmOptions: LLMOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var rerankOptions: RerankOptions

    @Option(help: "Address to bind. Anything but a loopback address requires a token.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8765

    @Option(help: "File whose first line is the API token (default: $MEMOIR_SERVE_TOKEN).")
    var tokenFile: String?

    @Option(help: "Fused encoder directory (default: see `memoir encode --help`).")
    var encoder: String?

    @Option(help: "Prompt templates: a version directory or the directory of versions.")
    var prompts: String?

    @Option(help: "Prompt version.")
    var promptVersion = "v1"

    @Option(help: "Text projection directory (for retrieval by text).")
    var projection: String?

    @Option(help: "all-MiniLM-L6-v2 directory (for retrieval by text).")
    var textModel: String?

    @Option(help: "Asks sent to the LLM at once.")
    var askConcurrency = 1

    @Option(help: "Asks allowed to wait for the LLM beyond those; more get 503.")
    var askQueue = 8

    @Option(help: "Requests per second per client address (0: no limit).")
    var rateLimit = 100.0

    @Option(help: "Largest request body in bytes.")
    var maxBody = 64 * 1024

    func validate() throws {
        guard (1...16).contains(askConcurrency) else { throw ValidationError("--ask-concurrency must lie in 1…16") }
        guard (0...1_000).contains(askQueue) else { throw ValidationError("--ask-queue must lie in 0…1000") }
        guard rateLimit >= 0, rateLimit.isFinite else { throw ValidationError("--rate-limit must not be negative") }
    }

    func run() async throws {
        var server = ServerConfiguration()
        server.host = host
        server.port = port
        server.token = try ServerConfiguration.token(file: tokenFile)
        server.rateLimit = rateLimit
        server.rateBurst = max(1, rateLimit * 4)
        server.maxBodyBytes = maxBody
        server = try server.validated()

        var options = Workspace.Options()
        options.storePath = store.path
        options.indexDirectory = indexOptions.index
        options.models = ModelSet(encoder: encoder, reranker: rerankOptions.reranker, rerank: rerankOptions.rerank)
        options.prompts = prompts
        options.promptVersion = promptVersion
        options.llmURL = llmOptions.llm
        options.generation = sampling.generation(model: llmOptions.llmModel)
        options.projection = projection
        options.textModel = textModel
        options.askConcurrency = askConcurrency
        options.askWaitingLimit = askQueue

        let memoirServer = try MemoirServer(workspace: try Workspace.load(options, note: Notes.print), configuration: server)
        try await memoirServer.run { port in
            // Written straight to the file descriptor: a pipe (a test, a supervisor) sees the line at once.
            FileHandle.standardOutput.write(Data("Memoir workspace: \(memoirServer.url(port: port))\n".utf8))
        }
    }
}
