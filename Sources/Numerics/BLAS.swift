import COpenBLAS

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

    /// Threads OpenBLAS may use for one call. Callers that parallelise themselves set 1.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }
}
