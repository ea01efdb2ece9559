// MatMul / BatchMatMul (all transposes) and _FusedMatMul, row-major, zero copy: on oneDNN's matmul
// primitive where it has a brgemm implementation (the same OpenMP pool as the convolutions and our loops),
// else on OpenBLAS's cblas_sgemm. Measured (1 thread, the VAE's [128, 784] x [784, 30]): brgemm 44 us,
// cblas 85 us. With 2 threads, OpenBLAS's second (pthread) pool fights the OpenMP one for the cores: the
// sum-pool MLP trained at 9k samples/s vs 35k with every GEMM on oneDNN.
// Never oneDNN's sgemm API (dnnl_sgemm): its JIT kernels point the stack pointer into the heap, so any
// signal delivered meanwhile (a CPU profiler's SIGPROF, a handled SIGINT) corrupts the heap (oneDNN issue
// #4845; reproduced here under node --cpu-prof within seconds). LOGITLAB_NATIVE_GEMM=openblas forces cblas.
#include <cblas.h>
#include <omp.h>

#include <cstdlib>
#include <cstring>
#include <dnnl.hpp>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "common.h"

namespace {

bool openblasOnly() {
  static const bool forced = [] {
    const char* v = std::getenv("LOGITLAB_NATIVE_GEMM");
    return v != nullptr && std::strcmp(v, "openblas") == 0;
  }();
  return forced;
}

void cblas(bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c) {
  const int64_t lda = transA ? m : k, ldb = transB ? k : n;
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n,
              (blasint)k, 1.f, a, (blasint)lda, b, (blasint)ldb, 0.f, c, (blasint)n);
}

// One primitive per GEMM shape, with memory objects whose data handles are set per call.
struct Gemm {
  dnnl::matmul op;
  dnnl::memory a, b, c;
};
// the thread count too: a primitive splits its work for the threads there were when it was made
using Key = std::tuple<int64_t, int64_t, int64_t, bool, bool, int>;

dnnl::engine& cpuEngine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

// null where oneDNN has no brgemm kernel for the shape on this CPU (its gemm:jit would be dnnl_sgemm's kernels)
Gemm* gemmFor(int64_t m, int64_t n, int64_t k, bool transA, bool transB) {
  // per thread: a memory object's data handle is set per call (worker threads may load the addon too)
  thread_local std::map<Key, std::unique_ptr<Gemm>> cache;
  const Key key{m, n, k, transA, transB, omp_get_max_threads()};
  auto it = cache.find(key);
  if (it != cache.end()) return it->second.get();
  if (cache.size() >= 512) cache.clear();  // shapes of many batch sizes: start over rather than grow
  using tag = dnnl::memory::format_tag;
  using dt = dnnl::memory::data_type;
  const dnnl::memory::desc amd({m, k}, dt::f32, transA ? tag::ba : tag::ab);
  const dnnl::memory::desc bmd({k, n}, dt::f32, transB ? tag::ba : tag::ab);
  const dnnl::memory::desc cmd({m, n}, dt::f32, tag::ab);
  std::unique_ptr<Gemm> g;
  try {
    dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(amd, bmd, cmd), cpuEngine());
    if (std::string(pd.impl_info_str()).rfind("brg", 0) == 0) {
      g.reset(new Gemm{dnnl::matmul(pd), dnnl::memory(amd, cpuEngine(), DNNL_MEMORY_NONE), dnnl::memory(bmd, cpuEngine(), DNNL_MEMORY_NONE),
                       dnnl::memory(cmd, cpuEngine(), DNNL_MEMORY_NONE)});
    }
  } catch (const dnnl::error&) {
    // no matmul implementation for the shape: cblas runs it
  }
  return (cache[key] = std::move(g)).get();
}

void sgemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c) {
  Gemm* g = openblasOnly() ? nullptr : gemmFor(m, n, k, transA, transB);
  if (g == nullptr) return cblas(transA, transB, m, n, k, a, b, c);
  g->a.set_data_handle(const_cast<float*>(a));  // read only: the source and weights of the matmul
  g->b.set_data_handle(const_cast<float*>(b));
  g->c.set_data_handle(c);
  thread_local dnnl::stream stream(cpuEngine());
  g->op.execute(stream, {{DNNL_ARG_SRC, g->a}, {DNNL_ARG_WEIGHTS, g->b}, {DNNL_ARG_DST, g->c}});
}

}  // namespace

const char* gemmLibrary() { return openblasOnly() ? "openblas" : "onednn-brgemm (openblas where none)"; }

void batchMatMul(int64_t batchA, int64_t batchB, int64_t m, int64_t n, int64_t k, bool transA, bool transB, const float* a,
                 const float* b, float* c, const float* bias, int64_t biasLength, int act, float alpha) {
  const int64_t batch = batchA > batchB ? batchA : batchB;
  if (!transA && batchB == 1 && batchA > 1) {
    // one shared right-hand side: the batch folds into the rows of one larger GEMM
    sgemm(false, transB, batch * m, n, k, a, b, c);
  } else {
    for (int64_t i = 0; i < batch; i++) {
      sgemm(transA, transB, m, n, k, a + (batchA == 1 ? 0 : i * m * k), b + (batchB == 1 ? 0 : i * k * n), c + i * m * n);
    }
  }
  const size_t total = static_cast<size_t>(batch * m * n);
  if (bias != nullptr) {
    if (biasLength == 1) {
      const float v = bias[0];
      simdFor(total, 65536, [=](size_t i) { c[i] += v; });
    } else {
      const int64_t rows = batch * m;
      auto addRow = [=](int64_t r) {
        float* row = c + r * n;
#pragma omp simd
        for (int64_t j = 0; j < n; j++) row[j] += bias[j];
      };
      // no `parallel ... if`: it enters libgomp even when false (see simdFor)
      if (total > 65536) {
#pragma omp parallel for
        for (int64_t r = 0; r < rows; r++) addRow(r);
      } else {
        for (int64_t r = 0; r < rows; r++) addRow(r);
      }
    }
  }
  applyActivation(c, total, act, alpha);
}
