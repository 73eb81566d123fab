/// What one fuzz case did. A crash has no outcome: it ends the process, which is why `Fuzzer` writes
/// each input to disk before parsing it.
public enum FuzzOutcome: Sendable, Equatable {
    /// Parsed (and, for images, passed the downstream checks).
    case accepted
    /// Refused with one of the module's typed errors, the contract for bad input.
    case refused
    /// Thrown, but not a typed error (a Foundation or runtime error leaking out): a fuzz failure.
    case untyped(String)
}
