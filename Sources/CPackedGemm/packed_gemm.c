#include "packed_gemm.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define MEMOIR_X86 1
#endif

long memoir_packed_size(int n, int k) {
    long panels = (n + MEMOIR_PANEL - 1) / MEMOIR_PANEL;
    return panels * (long)k * MEMOIR_PANEL;
}

void memoir_pack_weight(const float *w, int n, int k, int ldw, float *packed) {
    int panels = (n + MEMOIR_PANEL - 1) / MEMOIR_PANEL;
    for (int p = 0; p < panels; p++) {
        float *dst = packed + (long)p * k * MEMOIR_PANEL;
        for (int kk = 0; kk < k; kk++) {
            for (int j = 0; j < MEMOIR_PANEL; j++) {
                int col = p * MEMOIR_PANEL + j;
                dst[(long)kk * MEMOIR_PANEL + j] = col < n ? w[(long)col * ldw + kk] : 0.0f;
            }
        }
    }
}

// Each kernel computes rows [r0, r0+rows) × one panel into a 16-wide tile, then stores the lanes
// [lo, hi) of it (a partial first or last panel) at C columns panel*16 + lo ...

static void tile_store(float *c, int ldc, int rows, int col0, int lo, int hi, const float *tile, int accumulate) {
    for (int r = 0; r < rows; r++) {
        float *dst = c + (long)r * ldc + col0;
        for (int j = lo; j < hi; j++) dst[j] = accumulate ? dst[j] + tile[r * MEMOIR_PANEL + j] : tile[r * MEMOIR_PANEL + j];
    }
}

static void kernel_portable(int rows, int k, const float *a, int lda, const float *panel, float *tile) {
    memset(tile, 0, sizeof(float) * rows * MEMOIR_PANEL);
    for (int r = 0; r < rows; r++) {
        const float *ar = a + (long)r * lda;
        float *t = tile + r * MEMOIR_PANEL;
        for (int kk = 0; kk < k; kk++) {
            float x = ar[kk];
            const float *b = panel + (long)kk * MEMOIR_PANEL;
            for (int j = 0; j < MEMOIR_PANEL; j++) t[j] += x * b[j];
        }
    }
}

#ifdef MEMOIR_X86
// Row counts are compile-time constants inside each kernel (always-inlined into a switch), so the
// accumulators stay in registers: 12 zmm for AVX-512, 2×6 ymm for AVX2.
#define MR512 12
__attribute__((target("avx512f"), always_inline))
static inline void rows_avx512(const int R, int k, const float *a, int lda, const float *panel, float *tile) {
    __m512 acc[MR512];
    for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_ps();
    for (int kk = 0; kk < k; kk++) {
        __m512 b = _mm512_loadu_ps(panel + (long)kk * MEMOIR_PANEL);
        for (int r = 0; r < R; r++) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(a[(long)r * lda + kk]), b, acc[r]);
    }
    for (int r = 0; r < R; r++) _mm512_storeu_ps(tile + r * MEMOIR_PANEL, acc[r]);
}

__attribute__((target("avx512f")))
static void kernel_avx512(int rows, int k, const float *a, int lda, const float *panel, float *tile) {
    switch (rows) {
#define CASE(R) case R: rows_avx512(R, k, a, lda, panel, tile); break;
    CASE(1) CASE(2) CASE(3) CASE(4) CASE(5) CASE(6) CASE(7) CASE(8) CASE(9) CASE(10) CASE(11) CASE(12)
#undef CASE
    default: break;
    }
}

#define MR256 6
__attribute__((target("avx2,fma"), always_inline))
static inline void rows_avx2(const int R, int k, const float *a, int lda, const float *panel, float *tile) {
    __m256 lo[MR256], hi[MR256];
    for (int r = 0; r < R; r++) { lo[r] = _mm256_setzero_ps(); hi[r] = _mm256_setzero_ps(); }
    for (int kk = 0; kk < k; kk++) {
        __m256 b0 = _mm256_loadu_ps(panel + (long)kk * MEMOIR_PANEL);
        __m256 b1 = _mm256_loadu_ps(panel + (long)kk * MEMOIR_PANEL + 8);
        for (int r = 0; r < R; r++) {
            __m256 x = _mm256_broadcast_ss(a + (long)r * lda + kk);
            lo[r] = _mm256_fmadd_ps(x, b0, lo[r]);
            hi[r] = _mm256_fmadd_ps(x, b1, hi[r]);
        }
    }
    for (int r = 0; r < R; r++) {
        _mm256_storeu_ps(tile + r * MEMOIR_PANEL, lo[r]);
        _mm256_storeu_ps(tile + r * MEMOIR_PANEL + 8, hi[r]);
    }
}

__attribute__((target("avx2,fma")))
static void kernel_avx2(int rows, int k, const float *a, int lda, const float *panel, float *tile) {
    switch (rows) {
#define CASE(R) case R: rows_avx2(R, k, a, lda, panel, tile); break;
    CASE(1) CASE(2) CASE(3) CASE(4) CASE(5) CASE(6)
#undef CASE
    default: break;
    }
}
#endif

typedef void (*kernel_fn)(int, int, const float *, int, const float *, float *);

static int chosen = -1; // 0 portable, 1 avx2+fma, 2 avx512f (a benign race: every thread computes the same value)

static int choose(void) {
    if (chosen >= 0) return chosen;
    int pick = 0;
#ifdef MEMOIR_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) pick = 2;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) pick = 1;
#endif
    chosen = pick;
    return pick;
}

const char *memoir_packed_gemm_kernel(void) {
    switch (choose()) {
    case 2: return "avx512f";
    case 1: return "avx2+fma";
    default: return "portable";
    }
}

int memoir_packed_gemm_use(const char *name) {
    int want = strcmp(name, "avx512f") == 0 ? 2 : strcmp(name, "avx2+fma") == 0 ? 1 : strcmp(name, "portable") == 0 ? 0 : -1;
    if (want < 0) return 0;
#ifdef MEMOIR_X86
    __builtin_cpu_init();
    if (want == 2 && !__builtin_cpu_supports("avx512f")) return 0;
    if (want == 1 && !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) return 0;
#else
    if (want > 0) return 0;
#endif
    chosen = want;
    return 1;
}

void memoir_packed_gemm(int m, int n, int k, const float *a, int lda, const float *packed,
                        float *c, int ldc, int col_begin, int col_end, int accumulate) {
    if (m <= 0 || col_begin >= col_end || col_begin < 0 || col_end > n) return;
    kernel_fn kernel = kernel_portable;
    int mr = 4;
#ifdef MEMOIR_X86
    switch (choose()) {
    case 2: kernel = kernel_avx512; mr = MR512; break;
    case 1: kernel = kernel_avx2; mr = MR256; break;
    default: break;
    }
#endif
    float tile[16 * MEMOIR_PANEL]; // mr ≤ 16 rows of one panel
    int first = col_begin / MEMOIR_PANEL, last = (col_end - 1) / MEMOIR_PANEL;
    for (int p = first; p <= last; p++) {
        const float *panel = packed + (long)p * k * MEMOIR_PANEL;
        int col0 = p * MEMOIR_PANEL;
        int lo = col_begin > col0 ? col_begin - col0 : 0;
        int hi = col_end < col0 + MEMOIR_PANEL ? col_end - col0 : MEMOIR_PANEL;
        for (int r0 = 0; r0 < m; r0 += mr) {
            int rows = m - r0 < mr ? m - r0 : mr;
            kernel(rows, k, a + (long)r0 * lda, lda, panel, tile);
            tile_store(c + (long)r0 * ldc, ldc, rows, col0, lo, hi, tile, accumulate);
        }
    }
}
