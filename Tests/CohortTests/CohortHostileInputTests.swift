import Foundation
import Imaging
import Testing
import TestSupport
@testable import Cohort
#if canImport(Glibc)
import Glibc
#endif

/// Regression tests for issue #15's hostile cohort inputs: bad image paths and volumes are refused at
/// ingest naming file, row and field; CSV errors never echo a value at full length.
@Suite struct CohortHostileInputTests {
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    func record(t1: String) -> CaseRecord {
        CaseRecord(subjectID: "S1", diagnosis: .cn, age: 70, sex: .female, education: 16, mmse: 29, cdrsb: 0, adas11: 5,
                   adas13: 8, moca: 27, apoe: nil, t1Path: t1, faPath: nil)
    }

    /// The reason `CohortImporter` gives for a T1 at `path`, checking it names the CSV row and field.
    func ingestReason(_ path: String) -> String? {
        do { _ = try CohortImporter.measure(record(t1: path), row: 2, file: "c.csv"); return nil } catch {
            guard case let CohortError.image(file, row, field, reason) = error, file == "c.csv", row == 2, field == "T1_PATH" else {
                return "wrong error: \(error)"
            }
            return reason
        }
    }

    @Test func t1PathThatIsAFolderOrFIFOIsAClearError() throws {
        let fifo = dir + "/pipe.nii.gz"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(ingestReason(dir)?.contains("directory") == true)
        #expect(ingestReason(fifo)?.contains("FIFO") == true)
    }

    @Test(arguments: [("zero", Float(0), "empty"), ("constant", 417, "constant"), ("huge", 3e38, "constant")])
    func emptyConstantAndAbsurdT1sAreRefusedAtIngest(name: String, value: Float, mention: String) throws {
        let path = dir + "/\(name).nii.gz"
        try NIfTIVolume(grid: .mni2mm, voxels: [Float](repeating: value, count: VolumeGrid.mni2mm.voxelCount)).write(path: path, compressionLevel: 1)
        let reason = try #require(ingestReason(path))
        #expect(reason.contains(path) && reason.contains(mention), "\(reason)")
    }

    @Test func theFixtureCohortStillPassesTheQualityGate() throws {
        for r in try CohortCSV.read(path: Fixtures.path("cohort/cohort.csv")) {
            _ = try CohortImporter.measure(r, row: 2, file: "cohort.csv")
        }
    }

    @Test func hugeFieldsAreClippedInErrors() throws {
        let header = "PTID,DX,AGE,PTGENDER,PTEDUCAT,MMSE,CDRSB,ADAS11,ADAS13,MOCA,APOE_GENOTYPE,T1_PATH,FA_PATH"
        let huge = String(repeating: "7", count: 10_000_000)
        for row in ["S1,CN,\(huge),F,16,29,0,5,8,27,3/3,,", "S1,\(huge),70,F,16,29,0,5,8,27,3/3,,", "\(huge),CN,70,F,16,29,0,5,8,27,3/3,,"] {
            #expect { try CohortCSV.parse(header + "\n" + row + "\n", path: dir + "/c.csv") } throws: { error in
                guard case let CohortError.invalidValue(file, rowNumber, _, value, _) = error else { return false }
                return file == "c.csv" && rowNumber == 2 && value.count < 120 && "\(error)".count < 400
            }
        }
        let longID = String(repeating: "A", count: 5000)
        #expect { try CohortCSV.parse(header + "\n\(longID),CN,70,F,16,29,0,5,8,27,3/3,,\n", path: "c.csv") } throws: { error in
            "\(error)".count < 400 && "\(error)".contains("PTID")
        }
    }

    @Test func csvPathThatIsAFIFOOrDirectoryIsAClearError() throws {
        let fifo = dir + "/cohort.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        for (path, mention) in [(fifo, "FIFO"), (dir, "directory")] {
            #expect { try CohortCSV.read(path: path) } throws: { error in
                guard case let CohortError.unreadable(file, reason) = error else { return false }
                return file == path && reason.contains(mention)
            }
        }
    }
}
