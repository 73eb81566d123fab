#ifndef MEMOIR_CZLIB_SHIM_H
#define MEMOIR_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2/deflateInit2 are macros; expose them as functions Swift can call.
static inline int memoir_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 15 + 32); // 15-bit window, auto-detect gzip or zlib header
}
static inline int memoir_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
