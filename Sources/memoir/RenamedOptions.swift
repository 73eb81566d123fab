import ArgumentParser

/// Old spellings of renamed options: hidden, and refused with the new name, so one flag name has one
/// meaning across commands (`--model` was the LLM's model in some commands and a folder in others).
struct RenamedTextModelOption: ParsableArguments {
    @Option(name: .customLong("model"), help: .hidden)
    var model: String?

    func validate() throws {
        if model != nil { throw ValidationError("--model was renamed: use --text-model DIR for the all-MiniLM-L6-v2 folder") }
    }
}

struct RenamedLLMModelOption: ParsableArguments {
    @Option(name: .customLong("model"), help: .hidden)
    var model: [String] = []

    func validate() throws {
        if !model.isEmpty { throw ValidationError("--model was renamed: use --llm-model NAME for the model name sent to the LLM server") }
    }
}

struct RenamedRerankerOption: ParsableArguments {
    @Option(name: .customLong("model"), help: .hidden)
    var model: String?

    func validate() throws {
        if model != nil { throw ValidationError("--model was renamed: use --reranker DIR for the cross-encoder folder") }
    }
}

struct RenamedSubsetsOption: ParsableArguments {
    @Option(name: .customLong("subsets"), help: .hidden)
    var subsets: String?

    func validate() throws {
        if subsets != nil {
            throw ValidationError("--subsets was renamed: repeat --modalities for several subsets (e.g. --modalities t1+fa+clinical "
                + "--modalities t1), or give --every-subset for all 7")
        }
    }
}

/// `bertscore` took its two files as --candidates/--references, but --candidates is a number of neighbours in
/// `ask` and `eval retrieval`.
struct RenamedTextFileOptions: ParsableArguments {
    @Option(name: .customLong("candidates"), help: .hidden)
    var candidates: String?

    @Option(name: .customLong("references"), help: .hidden)
    var references: String?

    func validate() throws {
        if candidates != nil {
            throw ValidationError("--candidates was renamed: use --candidate-file FILE for the candidate texts "
                + "(--candidates is a number of neighbours in ask and eval retrieval)")
        }
        if references != nil { throw ValidationError("--references was renamed: use --reference-file FILE for the reference texts") }
    }
}

/// `synth --report` was an on/off switch, but --report names a folder in `eval vqa`.
struct RenamedSynthReportOption: ParsableArguments {
    @Flag(name: .customLong("report"), help: .hidden)
    var report = false

    func validate() throws {
        if report {
            throw ValidationError("--report was renamed: use --statistics for the cohort's group statistics against the calibration "
                + "targets (--report DIR is the report folder of eval vqa)")
        }
    }
}
