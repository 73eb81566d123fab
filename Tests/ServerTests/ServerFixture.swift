import Answering
import Application
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Store
import TestSupport

/// A served store for the API tests: the 6-subject fixture cohort (MNI 2 mm T1 for all, FA for 3) ingested,
/// encoded and indexed with the small golden encoder through the real CLI, built once per test process.
struct ServerLibrary: Sendable {
    let dir: String
    let db: String
    let index: String
    let testIDs: [String]
    let trainIDs: [String]
    /// A case with T1 and FA, and one without FA.
    let withFA: String
    let withoutFA: String
    /// The golden fixture checkpoint set to MNI 91×109×91 input pooled 4×, so it reads the fixture volumes fast.
    let encoder: String

    static let shared: Result<ServerLibrary, any Error> = Result { try build() }

    static func build() throws -> ServerLibrary {
        let dir = try Fixtures.temporaryDirectory()
        let db = dir + "/m.sqlite", index = dir + "/index", encoder = dir + "/encoder"
        try FileManager.default.createDirectory(atPath: encoder, withIntermediateDirectories: true)
        guard var config = try Fixtures.json("encoder/model/config.json") as? [String: Any] else {
            throw SetupFailure(step: "encoder config", stderr: "not a JSON object")
        }
        config["input_shape"] = [91, 109, 91]
        config["input_pool"] = 4
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: encoder + "/config.json"))
        try FileManager.default.copyItem(atPath: Fixtures.path("encoder/model/model.safetensors"), toPath: encoder + "/model.safetensors")
        for step in [["ingest", Fixtures.path("cohort/cohort.csv"), "--db", db],
                     ["encode", "--db", db, "--encoder", encoder],
                     ["index", "--db", db, "--index", index, "--encoder", encoder]] {
            let r = try CommandRunner.run(step)
            guard r.status == 0 else { throw SetupFailure(step: step.joined(separator: " "), stderr: r.stderr) }
        }
        let store = try CaseStore(path: db, access: .readOnly)
        let cases = try store.allCases()
        guard let withFA = cases.first(where: { $0.record.faPath != nil })?.id,
              let withoutFA = cases.first(where: { $0.record.faPath == nil })?.id else {
            throw SetupFailure(step: "fixture cohort", stderr: "expected cases with and without FA")
        }
        return ServerLibrary(dir: dir, db: db, index: index, testIDs: try store.subjectIDs(split: .test),
                             trainIDs: try store.subjectIDs(split: .train), withFA: withFA, withoutFA: withoutFA,
                             encoder: encoder)
    }

    struct SetupFailure: Error, CustomStringConvertible {
        let step: String, stderr: String
        var description: String { "\(step) failed: \(stderr)" }
    }

    /// A workspace over a fresh copy of the store (asks are logged into it), without the reranker (so no
    /// installed MiniLM is needed), answering through `llmURL` with `apiKey`.
    func workspace(llmURL: String? = nil, apiKey: String? = nil, askConcurrency: Int = 1, askWaitingLimit: Int = 8,
                   textModel: String? = nil) throws -> Workspace {
        let copy = try Fixtures.temporaryDirectory() + "/m.sqlite"
        try FileManager.default.copyItem(atPath: db, toPath: copy)
        var options = Workspace.Options()
        options.storePath = copy
        options.indexDirectory = index
        options.models = ModelSet(encoder: encoder, rerank: false)
        options.prompts = Fixtures.repositoryRoot + "/Prompts"
        options.askConcurrency = askConcurrency
        options.askWaitingLimit = askWaitingLimit
        options.textModel = textModel
        options.generation = GenerationOptions(temperature: 0, maxTokens: 200)
        let store = try CaseStore(path: copy)
        let retriever = try CaseRetriever(store: store, encoder: try options.models.loadEncoder(), indexDirectory: index)
        let asks = try AskService.load(store: store, indexDirectory: index, models: options.models, prompts: options.prompts,
                                       promptVersion: options.promptVersion)
        let llm: Result<LLMClient, LLMError> = llmURL.map { .success(LLMClient(configuration: LLMConfiguration(baseURL: $0, apiKey: apiKey))) }
            ?? .failure(.invalidRequest("no LLM endpoint in this test"))
        return Workspace(store: store, retriever: retriever, asks: asks, llm: llm, options: options)
    }
}

/// JSON helpers for responses.
enum Body {
    static func object(_ response: TestResponse) throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]) ?? [:]
    }

    static func text(_ response: TestResponse) -> String { String(decoding: response.body.readableBytesView, as: UTF8.self) }

    static func json(_ object: [String: Any]) throws -> ByteBuffer { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object)) }
}
