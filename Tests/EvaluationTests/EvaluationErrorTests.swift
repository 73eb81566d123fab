import Evaluation
import Testing

@Suite struct EvaluationErrorTests {
    @Test func errorsNameTheirSource() {
        #expect("\(EvaluationError.invalidInput(source: "qa.jsonl:3", detail: "missing field 'question'"))" == "qa.jsonl:3: missing field 'question'")
    }
}
