#ifndef MEMOIR_FAISS_SHIM_H
#define MEMOIR_FAISS_SHIM_H
// A small C surface over FAISS's C++ API (Debian ships no C API). Every function catches
// C++ exceptions: it returns 0 on success, -1 on failure with the message available from
// memoir_faiss_last_error() on the same thread.
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct memoir_faiss_index memoir_faiss_index;

/// Builds an index with faiss::index_factory ("Flat", "IVF64,Flat", "HNSW32", ...).
/// metric: 0 = inner product, 1 = L2.
int memoir_faiss_new(int dimension, const char *factory, int metric, memoir_faiss_index **out);
void memoir_faiss_free(memoir_faiss_index *index);

int memoir_faiss_is_trained(const memoir_faiss_index *index);
int64_t memoir_faiss_count(const memoir_faiss_index *index);
int memoir_faiss_dimension(const memoir_faiss_index *index);

int memoir_faiss_train(memoir_faiss_index *index, int64_t n, const float *vectors);
int memoir_faiss_add(memoir_faiss_index *index, int64_t n, const float *vectors);
/// distances and labels hold n*k entries; missing neighbours get label -1.
int memoir_faiss_search(const memoir_faiss_index *index, int64_t n, const float *queries, int64_t k,
                        float *distances, int64_t *labels);
/// Sets nprobe (IVF) or efSearch (HNSW) where the index has such a knob; ignored otherwise.
int memoir_faiss_set_search_breadth(memoir_faiss_index *index, int breadth);

int memoir_faiss_write(const memoir_faiss_index *index, const char *path);
int memoir_faiss_read(const char *path, memoir_faiss_index **out);

void memoir_faiss_set_threads(int threads);
const char *memoir_faiss_last_error(void);

#ifdef __cplusplus
}
#endif
#endif
