#include "vector_kernels.h"
#include <string.h>

// erf: odd/even rational approximation on [-4, 4] with Eigen's generic_fast_erf_float coefficients,
// as VectorOps.erf; NaN propagates through the comparisons' false branch.
static inline __attribute__((always_inline)) float erf_approx(float a) {
    float x = a > 4.0f ? 4.0f : (a < -4.0f ? -4.0f : a);
    float x2 = x * x;
    float p = x2 * -2.72614225801306e-10f + 2.77068142495902e-08f;
    p = x2 * p + -2.10102402082508e-06f;
    p = x2 * p + -5.69250639462346e-05f;
    p = x2 * p + -7.34990630326855e-04f;
    p = x2 * p + -2.95459980854025e-03f;
    p = x2 * p + -1.60960333262415e-02f;
    p = x * p;
    float q = x2 * -1.45660718464996e-05f + -2.13374055278905e-04f;
    q = x2 * q + -1.68282697438203e-03f;
    q = x2 * q + -7.37332916720468e-03f;
    q = x2 * q + -1.42647390514189e-02f;
    return p / q;
}

// e^x: Cephes expf as VectorOps.exp (x = n·ln2 + r, degree-6 polynomial, 2^n built in the exponent bits).
static inline __attribute__((always_inline)) float exp_approx(float a) {
    float x = a > 88.7f ? 88.7f : (a < -87.33654f ? -87.33654f : a);
    const float magic = 12582912.0f;
    float t = x * 1.44269504088896341f + magic;
    float n = t - magic;
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float y = r * 1.9875691500e-4f + 1.3981999507e-3f;
    y = y * r + 8.3334519073e-3f;
    y = y * r + 4.1665795894e-2f;
    y = y * r + 1.6666665459e-1f;
    y = y * r + 5.0000001201e-1f;
    y = y * (r * r) + r + 1.0f;
    unsigned tb;
    memcpy(&tb, &t, 4);
    unsigned sb = (tb - 0x4B400000u + 127u) << 23;
    float scale;
    memcpy(&scale, &sb, 4);
    return y * scale;
}

static inline __attribute__((always_inline)) void gelu_rows(float *x, const float *bias, int rows, int width) {
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * width;
        for (int i = 0; i < width; i++) {
            float v = row[i] + bias[i];
            row[i] = 0.5f * v * (1.0f + erf_approx(v * 0.70710678118654752440f));
        }
    }
}

// Max and sum in 16 independent lanes (a layout the vectoriser keeps without reassociating one sum).
static inline __attribute__((always_inline)) void softmax_rows(float *x, int rows, int width) {
    for (int r = 0; r < rows; r++) {
        float *row = x + (long)r * width;
        float m[16];
        for (int l = 0; l < 16; l++) m[l] = -__builtin_inff();
        int i = 0;
        for (; i + 16 <= width; i += 16)
            for (int l = 0; l < 16; l++) m[l] = row[i + l] > m[l] ? row[i + l] : m[l];
        float maxValue = -__builtin_inff();
        for (int l = 0; l < 16; l++) maxValue = m[l] > maxValue ? m[l] : maxValue;
        for (; i < width; i++) maxValue = row[i] > maxValue ? row[i] : maxValue;
        for (int j = 0; j < width; j++) row[j] = exp_approx(row[j] - maxValue);
        float s[16] = {0};
        i = 0;
        for (; i + 16 <= width; i += 16)
            for (int l = 0; l < 16; l++) s[l] += row[i + l];
        float sum = 0;
        for (int l = 0; l < 16; l++) sum += s[l];
        for (; i < width; i++) sum += row[i];
        float inv = 1.0f / sum;
        for (int j = 0; j < width; j++) row[j] *= inv;
    }
}

__attribute__((target("avx512f"))) static void gelu_avx512(float *x, const float *b, int rows, int width) { gelu_rows(x, b, rows, width); }
__attribute__((target("avx2,fma"))) static void gelu_avx2(float *x, const float *b, int rows, int width) { gelu_rows(x, b, rows, width); }
static void gelu_portable(float *x, const float *b, int rows, int width) { gelu_rows(x, b, rows, width); }
__attribute__((target("avx512f"))) static void softmax_avx512(float *x, int rows, int width) { softmax_rows(x, rows, width); }
__attribute__((target("avx2,fma"))) static void softmax_avx2(float *x, int rows, int width) { softmax_rows(x, rows, width); }
static void softmax_portable(float *x, int rows, int width) { softmax_rows(x, rows, width); }

static int chosen = -1; // 0 portable, 1 avx2+fma, 2 avx512f (a benign race: every thread computes the same value)

static int pick(void) {
    if (chosen < 0) {
        __builtin_cpu_init();
        chosen = __builtin_cpu_supports("avx512f") ? 2 : (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 1 : 0;
    }
    return chosen;
}

void memoir_add_bias_gelu(float *x, const float *bias, int rows, int width) {
    switch (pick()) {
    case 2: gelu_avx512(x, bias, rows, width); break;
    case 1: gelu_avx2(x, bias, rows, width); break;
    default: gelu_portable(x, bias, rows, width);
    }
}

void memoir_softmax_rows(float *x, int rows, int width) {
    switch (pick()) {
    case 2: softmax_avx512(x, rows, width); break;
    case 1: softmax_avx2(x, rows, width); break;
    default: softmax_portable(x, rows, width);
    }
}

const char *memoir_vector_kernels(void) {
    switch (pick()) {
    case 2: return "avx512f";
    case 1: return "avx2+fma";
    default: return "portable";
    }
}
