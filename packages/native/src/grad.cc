// Fused backward kernels for elementwise ops. tfjs differentiates tanh as mul(sub(1, square(y)), dy):
// three kernel calls and three passes over the tensor where PyTorch runs one (tanh_backward). Each
// formula here repeats tfjs's operations in the same order, in float32 without contraction
// (-ffp-contract=off), so the results are bitwise the ones the stock gradients give.
#include "common.h"

void gradOp(int op, const float* dy, const float* a, const float* b, float* out, size_t n) {
  switch (op) {
    case kGTanh:  // a = y = tanh(x): (1 - y * y) * dy
#pragma omp simd
      for (size_t i = 0; i < n; i++) out[i] = (1.f - a[i] * a[i]) * dy[i];
      return;
    case kGSigmoid:  // a = y = sigmoid(x): dy * (y * (1 - y))
#pragma omp simd
      for (size_t i = 0; i < n; i++) out[i] = dy[i] * (a[i] * (1.f - a[i]));
      return;
    case kGRelu:  // a = x: dy * step(x), step(NaN) = NaN
#pragma omp simd
      for (size_t i = 0; i < n; i++) out[i] = dy[i] * (a[i] != a[i] ? a[i] : (a[i] > 0.f ? 1.f : 0.f));
      return;
    case kGSquaredDifference:  // d/da of (a - b)^2: dy * (2 * (a - b))
#pragma omp simd
      for (size_t i = 0; i < n; i++) out[i] = dy[i] * (2.f * (a[i] - b[i]));
      return;
    default: throw std::invalid_argument("unsupported gradient op " + std::to_string(op));
  }
}
