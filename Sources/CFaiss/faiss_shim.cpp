#include "faiss_shim.h"

#include <faiss/AutoTune.h>
#include <faiss/Index.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>

#include <exception>
#include <memory>
#include <string>

struct memoir_faiss_index {
    std::unique_ptr<faiss::Index> index;
};

// From libgomp; declared here because clang does not see GCC's omp.h (which is also why the
// HNSW/IVF headers are avoided and their knobs are set through ParameterSpace).
extern "C" void omp_set_num_threads(int);

namespace {
thread_local std::string last_error;

template <typename Body>
int guarded(Body body) {
    try {
        body();
        last_error.clear();
        return 0;
    } catch (const std::exception &e) {
        last_error = e.what();
    } catch (...) {
        last_error = "unknown C++ exception from FAISS";
    }
    return -1;
}
} // namespace

extern "C" {

int memoir_faiss_new(int dimension, const char *factory, int metric, memoir_faiss_index **out) {
    return guarded([&] {
        faiss::MetricType m = metric == 0 ? faiss::METRIC_INNER_PRODUCT : faiss::METRIC_L2;
        std::unique_ptr<faiss::Index> idx(faiss::index_factory(dimension, factory, m));
        *out = new memoir_faiss_index{std::move(idx)};
    });
}

void memoir_faiss_free(memoir_faiss_index *index) { delete index; }

int memoir_faiss_is_trained(const memoir_faiss_index *index) { return index->index->is_trained ? 1 : 0; }
int64_t memoir_faiss_count(const memoir_faiss_index *index) { return index->index->ntotal; }
int memoir_faiss_dimension(const memoir_faiss_index *index) { return index->index->d; }

int memoir_faiss_train(memoir_faiss_index *index, int64_t n, const float *vectors) {
    return guarded([&] { index->index->train(n, vectors); });
}

int memoir_faiss_add(memoir_faiss_index *index, int64_t n, const float *vectors) {
    return guarded([&] { index->index->add(n, vectors); });
}

int memoir_faiss_search(const memoir_faiss_index *index, int64_t n, const float *queries, int64_t k,
                        float *distances, int64_t *labels) {
    return guarded([&] { index->index->search(n, queries, k, distances, labels); });
}

int memoir_faiss_set_search_breadth(memoir_faiss_index *index, int breadth) {
    return guarded([&] {
        faiss::ParameterSpace space;
        // set_index_parameter throws for a knob the index lacks, so try each and keep what applies.
        for (const char *knob : {"nprobe", "efSearch"}) {
            try {
                space.set_index_parameter(index->index.get(), knob, breadth);
            } catch (const std::exception &) {
            }
        }
    });
}

int memoir_faiss_write(const memoir_faiss_index *index, const char *path) {
    return guarded([&] { faiss::write_index(index->index.get(), path); });
}

int memoir_faiss_read(const char *path, memoir_faiss_index **out) {
    return guarded([&] {
        std::unique_ptr<faiss::Index> idx(faiss::read_index(path));
        *out = new memoir_faiss_index{std::move(idx)};
    });
}

void memoir_faiss_set_threads(int threads) { omp_set_num_threads(threads); }

const char *memoir_faiss_last_error(void) { return last_error.c_str(); }
}
