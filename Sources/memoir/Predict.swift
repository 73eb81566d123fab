import ArgumentParser
import Store
import Cohort
import Foundation
import FusedEncoder

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the fused encoder's heads on one stored case: diagnosis, CN-vs-Dementia, sex, age and CDR-SB.",
        discussion: """
        Uses the requested modalities the case has (a case without an FA image is read from T1 and clinical \
        values); a case with none of them is an error. The encoder resolves as for `memoir encode`.
        """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Subject id (PTID).")
    var `case`: String

    @Option(help: "Modalities to use, e.g. t1,fa,clinical or t1+clinical.")
    var modalities: ModalitySet = .all

    @Option(help: "Fused encoder directory (config.json + model.safetensors).")
    var encoder: String?

    @Flag(help: "Emit JSON.")
    var json = false

    func run() throws {
        let stored = try store.open(.readOnly).storedCase(self.case)
        let model = try EncoderLocator.load(explicit: encoder)
        let p = try model.predict(stored.record, modalities: modalities)
        if json { try JSONLines.emit(p); return }
        func percent(_ x: Float) -> String { String(format: "%.1f%%", 100 * x) }
        print("\(p.subjectID)  used \(p.used.map(\.rawValue).joined(separator: "+"))"
            + (p.missing.isEmpty ? "" : "  (lacks \(p.missing.map(\.rawValue).joined(separator: ", ")))"))
        print("diagnosis    \(p.diagnosis.rawValue)  (" + Diagnosis.allCases.map { "\($0.rawValue) \(percent(p.diagnosisProbabilities[$0.rawValue]!))" }
            .joined(separator: ", ") + ")  recorded \(p.recorded.diagnosis.rawValue)")
        print("CN vs Dem.   P(Dementia) \(percent(p.cnVsDementiaProbability))")
        print("sex          F \(percent(p.sexProbabilities["F"]!)), M \(percent(p.sexProbabilities["M"]!))  recorded \(p.recorded.sex?.rawValue ?? "-")")
        print(String(format: "age          %.1f years  recorded %@", p.age, p.recorded.age.map { String(format: "%.1f", $0) } ?? "-"))
        print(String(format: "CDR-SB       %.2f  recorded %@", p.cdrsb, p.recorded.cdrsb.map { String(format: "%.1f", $0) } ?? "-"))
    }
}
