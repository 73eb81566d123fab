import Numerics
import Testing

/// The kernel choice reads feature flags, not model numbers: a CPU OpenBLAS 0.3.21 does not know (it then
/// runs generic Prescott kernels) gets the best family its flags allow; a known one keeps the library's pick;
/// OPENBLAS_CORETYPE set by the user always wins.
struct BLASKernelPlanTests {
    static let skylakeFlags: Set<String> = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"]
    /// The Intel Xeon (family 6, model 207): AVX-512 with BF16, FP16 and VNNI, unknown to OpenBLAS 0.3.21.
    static let sapphireRapids = CPUFeatures(modelName: "Intel(R) Xeon(R) Processor", vendor: "GenuineIntel",
                                            flags: skylakeFlags.union(["avx512_bf16", "avx512_fp16", "avx512_vnni", "amx_tile"]))

    @Test func anUnknownCPUGetsTheBestFamilyItsFlagsAllow() {
        #expect(BLASKernelPlan.decide(cpu: Self.sapphireRapids, libraryCoreName: "Prescott", environment: [:]) == .select("Cooperlake"))
        let noBF16 = CPUFeatures(modelName: "x", vendor: "GenuineIntel", flags: Self.skylakeFlags)
        #expect(BLASKernelPlan.decide(cpu: noBF16, libraryCoreName: "Prescott", environment: [:]) == .select("SkylakeX"))
        let avx2 = CPUFeatures(modelName: "x", vendor: "GenuineIntel", flags: ["sse4_2", "avx", "avx2", "fma"])
        #expect(BLASKernelPlan.decide(cpu: avx2, libraryCoreName: "Nehalem", environment: [:]) == .select("Haswell"))
    }

    @Test func aKnownCPUKeepsTheLibraryPick() {
        #expect(BLASKernelPlan.decide(cpu: Self.sapphireRapids, libraryCoreName: "Cooperlake", environment: [:]) == .keepLibraryChoice)
        // AMD Zen runs the AVX2 (Haswell) kernels under its own name: not weaker than Haswell.
        let zen2 = CPUFeatures(modelName: "AMD EPYC 7B12", vendor: "AuthenticAMD", flags: ["sse4_2", "avx", "avx2", "fma"])
        #expect(BLASKernelPlan.decide(cpu: zen2, libraryCoreName: "Zen", environment: [:]) == .keepLibraryChoice)
        // No vector flags at all: nothing better to select.
        let old = CPUFeatures(modelName: "x", vendor: "x", flags: ["sse3"])
        #expect(BLASKernelPlan.decide(cpu: old, libraryCoreName: "Prescott", environment: [:]) == .keepLibraryChoice)
    }

    @Test func theUsersChoiceWins() {
        #expect(BLASKernelPlan.decide(cpu: Self.sapphireRapids, libraryCoreName: "Haswell", environment: ["OPENBLAS_CORETYPE": "Haswell"])
                == .forcedByEnvironment("Haswell"))
    }

    @Test func cpuinfoIsReadForTheFirstProcessor() {
        let text = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) Platinum 8488C
            flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16

            processor\t: 1
            vendor_id\t: OtherVendor
            flags\t\t: fpu
            """
        let cpu = CPUFeatures.parse(text)
        #expect(cpu.vendor == "GenuineIntel" && cpu.modelName == "Intel(R) Xeon(R) Platinum 8488C")
        #expect(cpu.has("avx512_bf16") && !cpu.has("amx_tile") && BLASKernelPlan.best(for: cpu) == "Cooperlake")
        #expect(CPUFeatures.parse("").flags.isEmpty)
    }

    @Test func theKernelsInUsePassTheSelfCheck() {
        let check = BLASSelfCheck.run()
        #expect(check.passed, "max relative error \(check.maxRelativeError)")
    }

    @Test func theOriginIsReadFromTheRestartMarker() {
        #expect(BLASKernelSelection.origin(environment: [:]) == .library)
        #expect(BLASKernelSelection.origin(environment: ["OPENBLAS_CORETYPE": "Haswell"]) == .environment)
        #expect(BLASKernelSelection.origin(environment: ["OPENBLAS_CORETYPE": "SkylakeX", "MEMOIR_BLAS_SELECTION": "selected:SkylakeX:Prescott"])
                == .selected(name: "SkylakeX", libraryChoice: "Prescott"))
        // A marker whose family is not the one in force is the user's doing, not Memoir's.
        #expect(BLASKernelSelection.origin(environment: ["OPENBLAS_CORETYPE": "Haswell", "MEMOIR_BLAS_SELECTION": "selected:SkylakeX:Prescott"])
                == .environment)
        #expect(BLASKernelSelection.origin(environment: ["MEMOIR_BLAS_SELECTION": "rejected:SkylakeX:max relative error 0.5"])
                == .rejected(name: "SkylakeX", reason: "max relative error 0.5"))
    }
}
