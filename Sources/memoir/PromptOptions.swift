import Answering
import ArgumentParser

/// Which prompt templates answer: the same flags and default in every command that asks an LLM.
struct PromptOptions: ParsableArguments {
    @Option(help: "Prompt templates: a version directory or the directory of versions (default: $MEMOIR_PROMPTS_DIR, else $MEMOIR_HOME/prompts).")
    var prompts: String?

    @Option(help: "Prompt version (v1: captions in, forced diagnosis; v2: Memoir's evidence in, answers checked by kind; v3: v2 with sentence-bounded answer and findings; v4: the diagnosis field holds Memoir's reading; v5: one finding about the case and, for diagnosis, similar-cases and prognosis questions, one naming a cited neighbour; v6: a diagnosis answer opens with Memoir's reading, the findings with whom they are about; v7: the answer and findings open on the facts the question's kind needs, each on a different one, sentences of at most 30 words; v8: v7 with English words only, openings that state the case's value or the neighbour's recorded diagnosis, and a neighbour finding's source bound to its id; v9: v8's opening and one sentence of the model's, and two findings the model chooses among sentences Memoir writes from the evidence; v10: v9 with a diagnosis answer's reason chosen among Memoir's reasons for its reading; v11, the default: v10 with the answer to every kind of question but 'other' chosen among Memoir's answers, so its every sentence is Memoir's).")
    var promptVersion = PromptTemplate.currentVersion
}
