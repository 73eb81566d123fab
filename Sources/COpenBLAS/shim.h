#ifndef MEMOIR_COPENBLAS_SHIM_H
#define MEMOIR_COPENBLAS_SHIM_H
// Debian's libopenblas-dev installs cblas.h (via alternatives) in the multiarch include dir.
#include <cblas.h>

// OpenBLAS extensions, declared here so Swift can size its thread pool deliberately
// (FAISS's OpenMP threads and ours otherwise oversubscribe the cores).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
