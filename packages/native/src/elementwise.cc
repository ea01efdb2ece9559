// Activations applied in place after a GEMM (the fused matmul's epilogue). Same formulas as
// tfjs-backend-cpu's fused activations.
#include <cmath>

#include "common.h"

void applyActivation(float* y, size_t n, int act, float alpha) {
  switch (act) {
    case kLinear: return;
    case kRelu:
#pragma omp parallel for simd if (n > 65536)
      for (size_t i = 0; i < n; i++) y[i] = y[i] < 0.f ? 0.f : y[i];
      return;
    case kRelu6:
#pragma omp parallel for simd if (n > 65536)
      for (size_t i = 0; i < n; i++) y[i] = y[i] < 0.f ? 0.f : (y[i] > 6.f ? 6.f : y[i]);
      return;
    case kElu:
      for (size_t i = 0; i < n; i++) y[i] = y[i] >= 0.f ? y[i] : std::expm1(y[i]);
      return;
    case kSigmoid:
      for (size_t i = 0; i < n; i++) y[i] = 1.f / (1.f + std::exp(-y[i]));
      return;
    case kLeakyRelu:
      for (size_t i = 0; i < n; i++) y[i] = y[i] < 0.f ? alpha * y[i] : y[i];
      return;
    default: throw std::invalid_argument("unsupported activation code " + std::to_string(act));
  }
}
