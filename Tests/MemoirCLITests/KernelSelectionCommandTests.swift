import Foundation
import Testing
import TestSupport

/// `memoir` settles its BLAS kernels before any command runs: on a CPU whose flags allow a stronger family
/// than OpenBLAS picked (stood in for by MEMOIR_BLAS_ASSUME_LIBRARY_PICK, since this machine's OpenBLAS knows
/// its CPU), it restarts itself with that family and reports it; OPENBLAS_CORETYPE set by the user is kept.
struct KernelSelectionCommandTests {
    static let clean = ["OPENBLAS_CORETYPE", "MEMOIR_BLAS_SELECTION", "MEMOIR_BLAS_ASSUME_LIBRARY_PICK"]

    static func doctor(_ arguments: [String] = [], environment: [String: String] = [:]) throws -> [String: Any] {
        let r = try CommandRunner.run(["doctor", "--json"] + arguments, environment: environment, unsetting: clean)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test func aWeakLibraryPickIsReplacedByTheBestTheFlagsAllow() throws {
        let plain = try Self.doctor()
        let best = plain["best_for_cpu"] as? String
        let report = try Self.doctor(environment: ["MEMOIR_BLAS_ASSUME_LIBRARY_PICK": "Prescott"])
        let chosen = report["chosen"] as? String ?? ""
        if let best {
            #expect(report["kernel_in_use"] as? String == best, "\(report)")
            #expect(chosen.contains("selected by Memoir") && chosen.contains("Prescott"), "\(chosen)")
        } else {
            #expect(chosen.contains("own choice"), "no vector flags: nothing to select (\(chosen))")
        }
        #expect((report["self_check"] as? [String: Any])?["passed"] as? Bool == true)
        #expect((report["vector_flags"] as? [String])?.isEmpty == (best == nil))
        // The few-row kernel follows the same flags, with no library in between.
        let flags = Set(report["vector_flags"] as? [String] ?? [])
        let packed = flags.contains("avx512f") ? "avx512f" : flags.isSuperset(of: ["avx2", "fma"]) ? "avx2+fma" : "portable"
        #expect(report["packed_kernel"] as? String == packed)
    }

    @Test func theUsersCoreTypeIsKept() throws {
        let report = try Self.doctor(environment: ["OPENBLAS_CORETYPE": "Nehalem", "MEMOIR_BLAS_ASSUME_LIBRARY_PICK": "Prescott"])
        #expect(report["kernel_in_use"] as? String == "Nehalem")
        #expect((report["chosen"] as? String)?.contains("forced by OPENBLAS_CORETYPE") == true, "\(report)")
    }

    @Test func measuringTimesEveryFamilyTheCPUCanRun() throws {
        let report = try Self.doctor(["--measure"])
        let measurements = try #require(report["measurements"] as? [[String: Any]])
        #expect(measurements.count >= 1 && measurements.first?["forced"] == nil, "the library's own pick comes first")
        #expect(measurements.filter { $0["is_in_use"] as? Bool == true }.count == 1)
        for m in measurements {
            #expect((m["gflops"] as? Double ?? 0) > 0.1, "\(m)")
            #expect((m["self_check"] as? [String: Any])?["passed"] as? Bool == true, "\(m)")
        }
    }
}
