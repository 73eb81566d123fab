#ifndef MEMOIR_VECTOR_KERNELS_H
#define MEMOIR_VECTOR_KERNELS_H
// The element-wise steps of a transformer layer that sit between its GEMMs: GELU after the first
// feed-forward product and softmax over attention scores. Swift compiles for baseline x86-64 (SSE,
// 4 lanes); these run 16 or 8 lanes wide, chosen at run time from the CPU's features (AVX-512F,
// AVX2+FMA, or portable C), with the same erf and exp approximations as Numerics.VectorOps.

#ifdef __cplusplus
extern "C" {
#endif

/// x ← GELU(x + bias) over rows × width, rows `width` apart (bias broadcast over rows).
void memoir_add_bias_gelu(float *x, const float *bias, int rows, int width);

/// Numerically stable softmax over each of `rows` rows of `width` floats, rows `width` apart.
void memoir_softmax_rows(float *x, int rows, int width);

/// The kernels these functions run on this CPU: "avx512f", "avx2+fma" or "portable".
const char *memoir_vector_kernels(void);

#ifdef __cplusplus
}
#endif
#endif
