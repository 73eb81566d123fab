import ArgumentParser
import Cohort
import Foundation

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a deterministic synthetic ADNI-like cohort (cohort.csv + NIfTI volumes).",
        discussion: """
        Anatomy comes from the MNI152 2009a templates and AAL/JHU atlases that Scripts/setup.sh installs \
        ($MEMOIR_TEMPLATES_DIR, else $MEMOIR_HOME/templates). Calibration constants and their sources: \
        Sources/Cohort/CalibrationTable.swift. The default size mirrors MEMOIR-VLM (2,363 subjects).
        """)

    @Option(help: "Number of subjects (split CN/MCI/Dementia as 837/813/713).")
    var subjects = 2363

    @Option(help: "Random seed; the same seed gives the same cohort.")
    var seed: UInt64 = 1

    // Before --out: the old spelling is answered with its new name even when --out is missing.
    @OptionGroup var renamed: RenamedSynthReportOption

    @Option(help: "Output folder (created).")
    var out: String

    @Option(help: "Template folder (default: $MEMOIR_TEMPLATES_DIR or $MEMOIR_HOME/templates).")
    var templates: String?

    @Flag(help: "Print group statistics against the calibration targets and a clinical-only classifier's accuracy.")
    var statistics = false

    @Flag(help: "Write no images: cohort.csv, adnimerge.csv and the BIDS tree's tables and folders only (a quick clinical-only cohort).")
    var noImages = false

    @Flag(help: "Emit the summary (and the statistics) as JSON.")
    var json = false

    func validate() throws {
        guard subjects >= 3 else { throw ValidationError("--subjects must be at least 3 (one per diagnosis)") }
    }

    func run() throws {
        let generator = SyntheticCohortGenerator(subjects: subjects, seed: seed, writeImages: !noImages)
        let anatomy = noImages ? nil : try AnatomyTemplates(directory: templates ?? AnatomyTemplates.defaultDirectory)
        let bar = ProgressBar(label: "synth")
        let drawn = try generator.generate(into: out, anatomy: anatomy, progress: bar.update)
        let withFA = drawn.filter { $0.record.faPath != nil }.count
        var cohortReport: CohortReport?
        if statistics {
            cohortReport = CohortReport(subjects: drawn, hippocampusML: anatomy.map { Self.millilitres($0.hippocampus, $0.gm) },
                                        ventricleML: anatomy.map { $0.ventricleVoxels * 8 / 1000 }, seed: 2363)
        }
        if json {
            try JSONLines.emit(Summary(csv: out + "/cohort.csv", subjects: drawn.count, withFA: withFA, seed: seed, statistics: cohortReport))
        } else {
            print("wrote \(out)/cohort.csv: \(drawn.count) subjects, \(noImages ? 0 : drawn.count) T1 and \(withFA) DTI-FA volumes")
            if let cohortReport { print(cohortReport.markdown) }
        }
    }

    /// Grey-matter-weighted hippocampal volume of the template in mL (2 mm voxels are 8 µL).
    static func millilitres(_ mask: [Float], _ gm: [Float]) -> Double {
        zip(mask, gm).reduce(0.0) { $0 + Double($1.0 * $1.1) } * 8 / 1000
    }

    struct Summary: Encodable { let csv: String; let subjects: Int; let withFA: Int; let seed: UInt64; let statistics: CohortReport? }
}
