// FusedBatchNorm's elementwise pass, out = add[ch] + (x - sub[ch]) * mul[ch] over the last axis in
// doubles then float32, as the JS kernel it replaces computed it (the per-channel parameters are
// folded in JS; see packages/backends/src/native/batchnorm.ts). A JS loop took ~5 ns an element.
#include "common.h"

void batchNormApply(const float* x, float* out, size_t rows, size_t channels, const double* mul, const double* sub, const double* add) {
  for (size_t r = 0; r < rows; r++) {
    const float* xr = x + r * channels;
    float* o = out + r * channels;
#pragma omp simd
    for (size_t ch = 0; ch < channels; ch++) o[ch] = static_cast<float>(add[ch] + (static_cast<double>(xr[ch]) - sub[ch]) * mul[ch]);
  }
}
