import Answering

/// One LLM under evaluation: a name for the report and the client that reaches it.
public struct VQABackbone: Sendable {
    public var name: String
    public var client: any ChatCompleting
    public var generation: GenerationOptions

    public init(name: String, client: any ChatCompleting, generation: GenerationOptions) {
        self.name = name
        self.client = client
        self.generation = generation
    }
}
