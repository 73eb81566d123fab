#ifndef MEMOIR_PACKED_GEMM_H
#define MEMOIR_PACKED_GEMM_H
// C = A·Wᵀ (+ C) for a few rows of A against a weight W packed once at load: the product of a
// dense layer for one sentence or one case. OpenBLAS repacks W on every call, which for a few
// dozen rows costs as much as the arithmetic; here W is laid out once in panels of
// MEMOIR_PANEL output columns, each panel k-major, zero-padded to whole panels.
// The kernel is chosen at run time from the CPU's features (AVX-512F, AVX2+FMA, or portable C).

#ifdef __cplusplus
extern "C" {
#endif

#define MEMOIR_PANEL 16

/// Floats needed to pack an n×k weight (n output columns, k inputs).
long memoir_packed_size(int n, int k);

/// Packs W (n rows of k floats, row stride ldw) into `packed` (memoir_packed_size(n, k) floats).
void memoir_pack_weight(const float *w, int n, int k, int ldw, float *packed);

/// C[m × columns] = A[m×k]·Wᵀ restricted to output columns [col_begin, col_end), added to C when
/// accumulate is non-zero. A has row stride lda; C rows are ldc apart and column j of the product
/// lands at C[row*ldc + j].
void memoir_packed_gemm(int m, int n, int k, const float *a, int lda, const float *packed,
                        float *c, int ldc, int col_begin, int col_end, int accumulate);

/// The kernel memoir_packed_gemm runs on this CPU: "avx512f", "avx2+fma" or "portable".
const char *memoir_packed_gemm_kernel(void);

/// Switches to the named kernel when this CPU can run it (for tests: every kernel checked on one machine).
/// Returns 1 when switched, 0 when the CPU lacks it or the name is unknown.
int memoir_packed_gemm_use(const char *name);

#ifdef __cplusplus
}
#endif
#endif
