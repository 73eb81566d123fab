import ArgumentParser
import Cohort
import Foundation
import Imaging

/// Calibrates the ingest registration check: scores a cohort's volumes as generated (registered, with the
/// generator's residual rotation and shift) and the same volumes moved off MNI space, and prints the spread.
struct RegistrationCalibration: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration",
        abstract: "Score cohort volumes against the MNI152 templates, as given and deliberately shifted or rotated.")

    @Option(help: "Cohort CSV (memoir synth's cohort.csv or any cohort CSV with T1_PATH/FA_PATH).")
    var cohort: String

    @Option(help: "At most this many subjects.")
    var limit = 40

    @Option(help: "Write the Markdown table here.")
    var out: String?

    func run() throws {
        let start = Date()
        let reference = try RegistrationReference()
        let loadSeconds = Date().timeIntervalSince(start)
        let records = Array(try CohortCSV.read(path: cohort).prefix(limit))
        var perturbations: [(String, Imaging.AffineTransform?)] = [("as given", nil)]
        perturbations.append(("shift 10 mm (y)", Self.shift(0, 5, 0)))
        perturbations.append(("shift 20 mm (y)", Self.shift(0, 10, 0)))
        perturbations.append(("shift 20 mm (x)", Self.shift(10, 0, 0)))
        perturbations.append(("shift 20 mm (z)", Self.shift(0, 0, 10)))
        perturbations.append(("rotate 10° (z)", Self.rotate(10)))
        perturbations.append(("rotate 20° (z)", Self.rotate(20)))
        perturbations.append(("rotate 20° + shift 20 mm", Self.rotate(20, then: Self.shift(0, 10, 0))))
        var lines = ["| volumes | condition | n | overlap min / median / max | correlation min / median / max | refused |", "|---|---|---|---|---|---|"]
        for (kind, isFA) in [("T1", false), ("FA", true)] {
            let paths = records.compactMap { isFA ? $0.faPath : $0.t1Path }
            let volumes = try paths.map { try Resampler.conform(try NIfTIVolume.read(path: $0), to: .mni2mm, path: $0) }
            for (name, map) in perturbations {
                let scores = volumes.map { v in reference.score(map.map { Resampler.resample(v, to: .mni2mm, voxelMap: $0) } ?? v, isFA: isFA) }
                let refused = scores.filter { !$0.passes }.count
                lines.append("| \(kind) | \(name) | \(scores.count) | \(Self.spread(scores.map(\.overlap))) | \(Self.spread(scores.map(\.correlation))) | \(refused) |")
            }
        }
        let text = """
            Registration check calibration: `memoir-bench registration --cohort \((cohort as NSString).lastPathComponent) --limit \(limit)`
            (thresholds: overlap ≥ \(RegistrationScore.minimumOverlap), correlation ≥ \(RegistrationScore.minimumT1Correlation) for T1 and \(RegistrationScore.minimumFACorrelation) for FA; reference loaded in \(String(format: "%.1f", loadSeconds)) s)

            \(lines.joined(separator: "\n"))

            """
        print(text)
        if let out { try text.write(toFile: out, atomically: true, encoding: .utf8) }
    }

    static func spread(_ v: [Double]) -> String {
        let s = v.sorted()
        guard let first = s.first, let last = s.last else { return "–" }
        return String(format: "%.3f / %.3f / %.3f", first, s[s.count / 2], last)
    }

    /// Output voxel → source voxel: content moves by (−dx, −dy, −dz) voxels (2 mm each) under an unchanged affine.
    static func shift(_ dx: Double, _ dy: Double, _ dz: Double) -> Imaging.AffineTransform {
        Imaging.AffineTransform(rows: [1, 0, 0, dx, 0, 1, 0, dy, 0, 0, 1, dz])
    }

    /// Rotation about the grid centre in the axial plane, optionally followed by another voxel map.
    static func rotate(_ degrees: Double, then next: Imaging.AffineTransform? = nil) -> Imaging.AffineTransform {
        let (nx, ny, _) = VolumeGrid.mni2mm.shape
        let a = degrees * .pi / 180, (c, s) = (cos(a), sin(a))
        let (cx, cy) = (Double(nx - 1) / 2, Double(ny - 1) / 2)
        let r = Imaging.AffineTransform(rows: [c, -s, 0, cx - c * cx + s * cy, s, c, 0, cy - s * cx - c * cy, 0, 0, 1, 0])
        return next.map { r.composed(with: $0) } ?? r
    }
}
