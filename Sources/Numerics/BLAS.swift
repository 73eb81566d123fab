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

    /// Threads OpenBLAS may use for one call. Callers that parallelise themselves set 1
    /// (or use `withSingleThreadedCalls`).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    private static let singleThreadLock = NSLock()
    nonisolated(unsafe) private static var singleThreadDepth = 0
    nonisolated(unsafe) private static var savedThreadCount = 1

    /// Runs `body` with OpenBLAS limited to one thread per call, for code that runs its own
    /// worker threads (each calling BLAS) and would otherwise oversubscribe the cores with
    /// OpenBLAS's spinning threads. Nested and concurrent uses share one save/restore.
    public static func withSingleThreadedCalls<T>(_ body: () throws -> T) rethrows -> T {
        singleThreadLock.withLock {
            if singleThreadDepth == 0 { savedThreadCount = threadCount; threadCount = 1 }
            singleThreadDepth += 1
        }
        defer {
            singleThreadLock.withLock {
                singleThreadDepth -= 1
                if singleThreadDepth == 0 { threadCount = savedThreadCount }
            }
        }
        return try body()
    }

    /// The OpenBLAS kernel family in use, e.g. "Haswell" or "Cooperlake" (OpenBLAS picks it
    /// from the CPU unless the OPENBLAS_CORETYPE environment variable forces one).
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}
