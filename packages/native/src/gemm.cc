// MatMul / BatchMatMul (all transposes) and _FusedMatMul on oneDNN's sgemm, row-major, zero copy: the
// same OpenMP pool as the convolutions and our loops. OpenBLAS's cblas_sgemm (LOGITLAB_NATIVE_GEMM=openblas)
// brings a second, pthread pool: with 2 threads each pool's spinning workers took the cores the other
// needed (sum-pool MLP training 9k vs 35k samples/s, VAE 25k vs 102k, measured in one session), and even
// on 1 thread oneDNN's was the faster GEMM for these shapes (VAE 78k vs 92k, inference 332k vs 443k).
#include <cblas.h>
#include <dnnl.h>

#include <cstdlib>
#include <cstring>

#include "common.h"

namespace {

bool useDnnl() {
  static const bool dnnl = [] {
    const char* v = std::getenv("LOGITLAB_NATIVE_GEMM");
    return v == nullptr || std::strcmp(v, "openblas") != 0;
  }();
  return dnnl;
}

}  // namespace

const char* gemmLibrary() { return useDnnl() ? "dnnl" : "openblas"; }

namespace {

void sgemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* c) {
  const int64_t lda = transA ? m : k, ldb = transB ? k : n;
  if (useDnnl()) {
    dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', m, n, k, 1.f, a, lda, b, ldb, 0.f, c, n);
    return;
  }
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, (blasint)m, (blasint)n,
              (blasint)k, 1.f, a, (blasint)lda, b, (blasint)ldb, 0.f, c, (blasint)n);
}

}  // namespace

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
