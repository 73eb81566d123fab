import COpenBLAS
import Foundation

/// The dense-math entry points. All matrix products in Memoir go through cblas here.
public enum BLAS {
    /// C[m×n] = alpha · A[m×k] · op(B) + beta · C, row-major, where op(B) = Bᵀ when `transposeB`
    /// (B stored n×k, the PyTorch `Linear.weight` layout) and B otherwise (stored k×n).
    @inline(__always)
    public static func gemm(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        alpha: Float = 1, beta: Float = 0
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// OpenBLAS's one, process-wide thread count, changed only through here.
    static let threads = ThreadCountSections(read: { Int(openblas_get_num_threads()) },
                                             write: { openblas_set_num_threads(Int32($0)) })

    /// Threads OpenBLAS may use for one call now (1 inside any single-threaded section). Setting it
    /// is a process-wide choice for start-up (a `--threads` flag), never for tests: a section open
    /// meanwhile keeps one thread and the new count applies when the last section ends.
    public static var threadCount: Int {
        get { threads.current }
        set { threads.set(newValue) }
    }

    /// The count outside single-threaded sections, whether or not one is open now.
    public static var configuredThreadCount: Int { threads.configured }

    /// Runs `body` with OpenBLAS limited to one thread per call, for code that runs its own
    /// worker threads (each calling BLAS) and would otherwise oversubscribe the cores with
    /// OpenBLAS's spinning threads. Nested and concurrent uses share one save/restore; the setting
    /// is process-wide, so BLAS calls elsewhere in the process also run on one thread meanwhile.
    public static func withSingleThreadedCalls<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        try threads.withSingleThreaded(body)
    }

    /// The OpenBLAS kernel family in use, e.g. "Haswell" or "Cooperlake" (OpenBLAS picks it
    /// from the CPU unless the OPENBLAS_CORETYPE environment variable forces one).
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64".
    public static var configuration: String {
        guard let config = openblas_get_config() else { return "unknown" }
        return String(cString: config)
    }
}
