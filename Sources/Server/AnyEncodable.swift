/// Any encodable value, so a view can carry fields whose type it does not know (the answer's evidence and
/// verdict, as the answering pipeline defines them).
struct AnyEncodable: Encodable, @unchecked Sendable {
    // @unchecked: only ever built from values read out of a Sendable AskResult, and only encoded.
    let value: any Encodable

    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
