/// Which OpenBLAS kernel family a process should run, decided from the CPU's feature flags and the family
/// OpenBLAS picked from its own model list. Debian's OpenBLAS 0.3.21 does not know every CPU (a 2-core
/// Intel Xeon, family 6 model 207, fell back to generic `Prescott` kernels at a sixth of the `SkylakeX`
/// rate): where the library's pick is weaker than what the CPU's flags allow, the best allowed family is
/// chosen instead. OPENBLAS_CORETYPE set by the user is always respected.
public enum BLASKernelPlan: Equatable, Sendable {
    /// OpenBLAS's own pick is as good as the flags allow.
    case keepLibraryChoice
    /// The user forced a family through OPENBLAS_CORETYPE.
    case forcedByEnvironment(String)
    /// Restart with OPENBLAS_CORETYPE set to this family.
    case select(String)

    /// Kernel families OpenBLAS 0.3.x builds with DYNAMIC_ARCH, strongest first, with the CPU flags each needs.
    public static let ladder: [(name: String, needs: [String])] = [
        ("Cooperlake", ["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512_bf16"]),
        ("SkylakeX", ["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"]),
        ("Haswell", ["avx2", "fma"]),
        ("Sandybridge", ["avx"]),
        ("Nehalem", ["sse4_2"]),
    ]

    /// How strong a family OpenBLAS reports is, on the ladder's scale (higher is stronger; 0 generic or unknown).
    /// AMD families use the Intel kernels of their instruction set (Zen: Haswell's AVX2 kernels).
    public static func rank(ofCoreName name: String) -> Int {
        let aliases = ["zen": "Haswell", "excavator": "Haswell", "steamroller": "Sandybridge", "piledriver": "Sandybridge",
                       "bulldozer": "Sandybridge", "skylake": "Haswell"]
        let canonical = aliases[name.lowercased()] ?? name
        guard let index = ladder.firstIndex(where: { $0.name.lowercased() == canonical.lowercased() }) else { return 0 }
        return ladder.count - index
    }

    /// The strongest family whose flags the CPU has, or nil (generic kernels).
    public static func best(for cpu: CPUFeatures) -> String? {
        ladder.first { $0.needs.allSatisfy(cpu.has) }?.name
    }

    public static func decide(cpu: CPUFeatures, libraryCoreName: String, environment: [String: String]) -> BLASKernelPlan {
        if let forced = environment["OPENBLAS_CORETYPE"], !forced.isEmpty { return .forcedByEnvironment(forced) }
        guard let best = best(for: cpu), rank(ofCoreName: best) > rank(ofCoreName: libraryCoreName) else { return .keepLibraryChoice }
        return .select(best)
    }
}
