import Cohort
import Foundation
import Imaging
import Testing
import TestSupport

/// The ingest registration check: registered volumes pass, volumes moved off MNI space are refused by
/// default and accepted, marked, with --allow-unregistered. Needs the MNI152 templates (Scripts/setup.sh).
@Suite struct RegistrationCheckTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    func cohort(t1: String) throws -> String {
        let path = folder.file("c.csv")
        try """
        PTID,DX,AGE,PTGENDER,PTEDUCAT,MMSE,CDRSB,ADAS11,ADAS13,MOCA,APOE_GENOTYPE,T1_PATH,FA_PATH
        S1,CN,70,F,16,29,0,5,8,27,3/3,\(t1),

        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func registeredPassesShiftedAndScannerSpaceAreRefusedUnlessAllowed() throws {
        let source = Fixtures.path("cohort/images/941_S_0001_t1.nii.gz")
        let shifted = folder.file("shifted.nii.gz"), scanner = folder.file("scanner.nii.gz")
        try RegistrationFixtures.shiftedCopy(of: source, to: shifted, millimetres: 20)
        try RegistrationFixtures.scannerSpaceCopy(of: source, to: scanner, millimetres: 25)
        let registered = try CohortImporter().read(csvPath: try cohort(t1: source))
        let measures = try #require(registered.cases.first?.measures)
        #expect(measures.unregistered == false && measures.t1Registration?.passes == true)
        #expect(!registered.cases[0].caption.contains("registration"))
        for moved in [shifted, scanner] {
            let csv = try cohort(t1: moved)
            #expect { try CohortImporter().read(csvPath: csv) } throws: { error in
                guard case let CohortError.image(file, row, field, reason) = error else { return false }
                return file == "c.csv" && row == 2 && field == "T1_PATH" && reason.contains("FLIRT") && reason.contains("antsRegistration")
                    && reason.contains("SPM") && reason.contains("--allow-unregistered")
            }
            let accepted = try CohortImporter(allowUnregistered: true).read(csvPath: csv)
            let c = try #require(accepted.cases.first)
            #expect(c.measures.unregistered == true && accepted.summary.unregistered == 1)
            #expect(c.caption.contains("failed the MNI152 registration check"))
            #expect(accepted.summary.warnings?.contains { $0.contains("accepted unregistered") } == true)
        }
    }

    @Test func scoresSeparateRegisteredFromShifted() throws {
        let reference = try RegistrationReference()
        let source = Fixtures.path("cohort/images/941_S_0003_t1.nii.gz")
        let shifted = folder.file("s.nii.gz")
        try RegistrationFixtures.shiftedCopy(of: source, to: shifted, millimetres: 20)
        let a = reference.score(try Resampler.conform(try NIfTIVolume.read(path: source), to: .mni2mm, path: source), isFA: false)
        let b = reference.score(try Resampler.conform(try NIfTIVolume.read(path: shifted), to: .mni2mm, path: shifted), isFA: false)
        #expect(a.passes && !b.passes && a.correlation > b.correlation && a.overlap > b.overlap, "\(a) vs \(b)")
    }
}
