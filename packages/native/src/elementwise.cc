// Elementwise kernels: broadcast arithmetic, comparisons, unary math, the fused matmul's epilogue
// (same formulas as tfjs-backend-cpu's fused activations), reductions, transpose and tile.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "common.h"
#include "vecmath.h"

namespace {

// below this many elements a loop runs on the calling thread (waking the OpenMP pool costs more)
constexpr size_t kParallelMin = 65536;
constexpr size_t kBlock = 1024;

// y[i] = finish(x[i], call(x[i])). g++ 12 does not vectorize a loop that has both a libmvec call and a select
// (its if-conversion refuses loops with calls), so the call runs over a block into a buffer that stays in L1,
// then the selects run over that block. y may be x (in place).
template <class Call, class Finish>
void inBlocks(const float* x, float* y, size_t n, Call call, Finish finish) {
  auto block = [&](size_t k) {
    float t[kBlock];
    const size_t b = k * kBlock, m = std::min(kBlock, n - b);
    const float* xb = x + b;
    float* yb = y + b;
#pragma omp simd
    for (size_t i = 0; i < m; i++) t[i] = call(xb[i]);
#pragma omp simd
    for (size_t i = 0; i < m; i++) yb[i] = finish(xb[i], t[i]);
  };
  const size_t blocks = (n + kBlock - 1) / kBlock;
  if (n > kParallelMin) {
#pragma omp parallel for
    for (size_t k = 0; k < blocks; k++) block(k);
  } else {
    for (size_t k = 0; k < blocks; k++) block(k);
  }
}

// 1 / (1 + e^-x) from e = e^-|x|: for x < 0 it is e / (1 + e), which keeps its relative accuracy where
// 1 + e^-x overflows (x < -88.7 gave 0 instead of a denormal). NaN stays NaN; -Inf gives 0, +Inf 1.
void sigmoid(const float* x, float* y, size_t n) {
  inBlocks(
      x, y, n, [](float v) { return expf(-std::fabs(v)); },
      [](float v, float e) {
        const float s = 1.f / (1.f + e);
        const float neg = e * s;
        return v >= 0.f ? s : neg;
      });
}

// x for x >= 0, else e^x - 1 (NaN stays NaN)
void elu(const float* x, float* y, size_t n) {
  inBlocks(x, y, n, [](float v) { return expm1f(v); }, [](float v, float e) { return v >= 0.f ? v : e; });
}

}  // namespace

void applyActivation(float* y, size_t n, int act, float alpha) {
  switch (act) {
    case kLinear: return;
    case kRelu: return simdFor(n, kParallelMin, [=](size_t i) { y[i] = y[i] < 0.f ? 0.f : y[i]; });
    case kRelu6: return simdFor(n, kParallelMin, [=](size_t i) { y[i] = y[i] < 0.f ? 0.f : (y[i] > 6.f ? 6.f : y[i]); });
    case kElu: return elu(y, y, n);
    case kSigmoid: return sigmoid(y, y, n);
    case kLeakyRelu: return simdFor(n, kParallelMin, [=](size_t i) { y[i] = y[i] < 0.f ? alpha * y[i] : y[i]; });
    default: throw std::invalid_argument("unsupported activation code " + std::to_string(act));
  }
}

namespace {

// Index arrays of the shape kernels: on the stack up to kInline entries (any real rank), else on the heap.
class IndexScratch {
 public:
  explicit IndexScratch(size_t n) : p_(n <= kInline ? stack_ : (heap_.resize(n), heap_.data())) { std::fill(p_, p_ + n, 0); }
  int64_t* get() { return p_; }

 private:
  static constexpr size_t kInline = 64;
  int64_t stack_[kInline];
  std::vector<int64_t> heap_;
  int64_t* p_;
};

size_t sizeOf(Ints shape) {
  size_t n = 1;
  for (size_t i = 0; i < shape.size; i++) n *= static_cast<size_t>(shape[i]);
  return n;
}

template <class T, class F>
void binaryWith(const float* a, Ints aShape, const float* b, Ints bShape, T* out, Ints outShape, F f) {
  const size_t rank = outShape.size;
  const size_t n = sizeOf(outShape), na = sizeOf(aShape), nb = sizeOf(bShape);
  // nothing to write; the row loop below would divide by a zero last axis ([2, 1] + [1, 0] was a SIGFPE)
  if (n == 0) return;
  // a rank-0 output has one element, and so do its operands: the first case
  if (na == n && nb == n) return simdFor(n, 262144, [=](size_t i) { out[i] = f(a[i], b[i]); });
  if (nb == 1) {
    const float v = b[0];
    return simdFor(n, 262144, [=](size_t i) { out[i] = f(a[i], v); });  // the output has a's size
  }
  if (na == 1) {
    const float v = a[0];
    return simdFor(n, 262144, [=](size_t i) { out[i] = f(v, b[i]); });
  }
  // right-aligned strides of each operand over the output shape (0 on broadcast axes)
  IndexScratch scratch(3 * rank);
  int64_t* sa = scratch.get();
  int64_t* sb = sa + rank;
  int64_t* idx = sb + rank;
  int64_t stA = 1, stB = 1;
  for (size_t k = 0; k < rank; k++) {
    const size_t o = rank - 1 - k;
    const int64_t da = k < aShape.size ? aShape[aShape.size - 1 - k] : 1;
    const int64_t db = k < bShape.size ? bShape[bShape.size - 1 - k] : 1;
    sa[o] = da == 1 ? 0 : stA;
    sb[o] = db == 1 ? 0 : stB;
    stA *= da;
    stB *= db;
  }
  const int64_t inner = outShape[rank - 1];
  const int64_t ia = sa[rank - 1], ib = sb[rank - 1];
  const size_t rows = n / static_cast<size_t>(inner);
  int64_t offA = 0, offB = 0;
  for (size_t r = 0; r < rows; r++) {
    T* o = out + r * inner;
    const float* pa = a + offA;
    const float* pb = b + offB;
    if (ia == 1 && ib == 1) {
#pragma omp simd
      for (int64_t j = 0; j < inner; j++) o[j] = f(pa[j], pb[j]);
    } else if (ia == 1) {
      const float v = pb[0];
#pragma omp simd
      for (int64_t j = 0; j < inner; j++) o[j] = f(pa[j], v);
    } else if (ib == 1) {
      const float v = pa[0];
#pragma omp simd
      for (int64_t j = 0; j < inner; j++) o[j] = f(v, pb[j]);
    } else {
      for (int64_t j = 0; j < inner; j++) o[j] = f(pa[j * ia], pb[j * ib]);
    }
    // odometer over the outer axes
    for (int64_t k = static_cast<int64_t>(rank) - 2; k >= 0; k--) {
      idx[k]++;
      offA += sa[k];
      offB += sb[k];
      if (idx[k] < outShape[k]) break;
      offA -= sa[k] * outShape[k];
      offB -= sb[k] * outShape[k];
      idx[k] = 0;
    }
  }
}

}  // namespace

void binaryOp(int op, const float* a, Ints aShape, const float* b, Ints bShape, float* out, Ints outShape) {
  switch (op) {
    case kAdd: return binaryWith(a, aShape, b, bShape, out, outShape, [](float x, float y) { return x + y; });
    case kSub: return binaryWith(a, aShape, b, bShape, out, outShape, [](float x, float y) { return x - y; });
    case kMul: return binaryWith(a, aShape, b, bShape, out, outShape, [](float x, float y) { return x * y; });
    case kDiv: return binaryWith(a, aShape, b, bShape, out, outShape, [](float x, float y) { return x / y; });
    case kSquaredDifference:
      return binaryWith(a, aShape, b, bShape, out, outShape, [](float x, float y) { return (x - y) * (x - y); });
    default: throw std::invalid_argument("unsupported binary op " + std::to_string(op));
  }
}

void compareOp(int op, const float* a, Ints aShape, const float* b, Ints bShape, uint8_t* out, Ints outShape) {
  // NaN compares false, as in JS
  switch (op) {
    case 0: return binaryWith(a, aShape, b, bShape, out, outShape, [](float x, float y) -> uint8_t { return x > y; });
    case 1: return binaryWith(a, aShape, b, bShape, out, outShape, [](float x, float y) -> uint8_t { return x >= y; });
    case 2: return binaryWith(a, aShape, b, bShape, out, outShape, [](float x, float y) -> uint8_t { return x < y; });
    case 3: return binaryWith(a, aShape, b, bShape, out, outShape, [](float x, float y) -> uint8_t { return x <= y; });
    case 4: return binaryWith(a, aShape, b, bShape, out, outShape, [](float x, float y) -> uint8_t { return x == y; });
    case 5: return binaryWith(a, aShape, b, bShape, out, outShape, [](float x, float y) -> uint8_t { return x != y; });
    default: throw std::invalid_argument("unsupported comparison " + std::to_string(op));
  }
}

void unaryOp(int op, const float* x, float* y, size_t n, float alpha) {
  switch (op) {
    // Math.max(0, x): NaN stays NaN
    case kURelu: return simdFor(n, kParallelMin, [=](size_t i) { y[i] = x[i] > 0.f ? x[i] : (x[i] != x[i] ? x[i] : 0.f); });
    case kUStep: return simdFor(n, kParallelMin, [=](size_t i) { y[i] = x[i] != x[i] ? x[i] : (x[i] > 0.f ? 1.f : alpha); });
    case kUNeg: return simdFor(n, kParallelMin, [=](size_t i) { y[i] = -x[i]; });
    case kUSquare: return simdFor(n, kParallelMin, [=](size_t i) { y[i] = x[i] * x[i]; });
    case kUSqrt: return simdFor(n, kParallelMin, [=](size_t i) { y[i] = std::sqrt(x[i]); });
    case kUExp: return simdFor(n, kParallelMin, [=](size_t i) { y[i] = expf(x[i]); });
    case kUTanh: return simdFor(n, kParallelMin, [=](size_t i) { y[i] = tanhf(x[i]); });
    case kUSigmoid: return sigmoid(x, y, n);
    case kULog:
      for (size_t i = 0; i < n; i++) y[i] = std::log(x[i]);
      return;
    case kURsqrt:  // tfjs-cpu's 1 / Math.sqrt(x), in doubles
      for (size_t i = 0; i < n; i++) y[i] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(x[i])));
      return;
    default: throw std::invalid_argument("unsupported unary op " + std::to_string(op));
  }
}

void reduceSum(const float* x, float* out, int64_t outer, int64_t reduced, int64_t inner, float scale) {
  for (int64_t o = 0; o < outer; o++) {
    const float* src = x + o * reduced * inner;
    float* dst = out + o * inner;
    if (inner == 1) {
      // a row sum: in double like the cpu kernel's JS accumulator
      double s = 0;
#pragma omp simd reduction(+ : s)
      for (int64_t r = 0; r < reduced; r++) s += src[r];
      dst[0] = static_cast<float>(s * scale);
      continue;
    }
    for (int64_t j = 0; j < inner; j++) dst[j] = 0.f;
    for (int64_t r = 0; r < reduced; r++) {
      const float* row = src + r * inner;
#pragma omp simd
      for (int64_t j = 0; j < inner; j++) dst[j] += row[j];
    }
    if (scale != 1.f) {
      for (int64_t j = 0; j < inner; j++) dst[j] *= scale;
    }
  }
}

void transpose(const float* x, Ints shape, Ints perm, float* out) {
  const size_t rank = shape.size;
  if (perm.size != rank) throw std::invalid_argument("perm must have one entry per axis");
  IndexScratch scratch(4 * rank);
  int64_t* inStride = scratch.get();
  int64_t* outShape = inStride + rank;
  int64_t* stride = outShape + rank;
  int64_t* idx = stride + rank;
  if (rank > 0) inStride[rank - 1] = 1;
  for (int64_t k = static_cast<int64_t>(rank) - 2; k >= 0; k--) inStride[k] = inStride[k + 1] * shape[k + 1];
  int64_t n = 1;
  for (size_t i = 0; i < rank; i++) {
    if (perm[i] < 0 || perm[i] >= static_cast<int64_t>(rank)) throw std::invalid_argument("perm entry out of range");
    outShape[i] = shape[perm[i]];
    stride[i] = inStride[perm[i]];
    n *= outShape[i];
  }
  if (n == 0) return;
  if (rank == 0) {
    out[0] = x[0];
    return;
  }
  const int64_t inner = outShape[rank - 1], innerStride = stride[rank - 1];
  int64_t off = 0;
  for (int64_t o = 0; o < n; o += inner) {
    float* dst = out + o;
    const float* src = x + off;
    for (int64_t j = 0; j < inner; j++) dst[j] = src[j * innerStride];
    for (int64_t k = static_cast<int64_t>(rank) - 2; k >= 0; k--) {
      idx[k]++;
      off += stride[k];
      if (idx[k] < outShape[k]) break;
      off -= stride[k] * outShape[k];
      idx[k] = 0;
    }
  }
}

void tile(const float* x, Ints shape, Ints reps, float* out) {
  const size_t rank = shape.size;
  if (reps.size != rank) throw std::invalid_argument("reps must have one entry per axis");
  if (rank == 0) {
    out[0] = x[0];
    return;
  }
  IndexScratch scratch(3 * rank);
  int64_t* outShape = scratch.get();
  int64_t* inStride = outShape + rank;
  int64_t* idx = inStride + rank;
  inStride[rank - 1] = 1;
  for (int64_t k = static_cast<int64_t>(rank) - 2; k >= 0; k--) inStride[k] = inStride[k + 1] * shape[k + 1];
  int64_t n = 1;
  for (size_t i = 0; i < rank; i++) {
    outShape[i] = shape[i] * reps[i];
    n *= outShape[i];
  }
  if (n == 0) return;
  const int64_t inner = outShape[rank - 1], innerIn = shape[rank - 1];
  for (int64_t o = 0; o < n; o += inner) {
    int64_t off = 0;
    for (size_t k = 0; k + 1 < rank; k++) off += (idx[k] % shape[k]) * inStride[k];
    const float* src = x + off;
    float* dst = out + o;
    // the last axis is innerIn values repeated: a fill for a broadcast scalar (a Sum's gradient), else copies
    if (innerIn == 1) std::fill(dst, dst + inner, src[0]);
    else
      for (int64_t j = 0; j < inner; j += innerIn) std::memcpy(dst + j, src, static_cast<size_t>(innerIn) * sizeof(float));
    for (int64_t k = static_cast<int64_t>(rank) - 2; k >= 0; k--) {
      if (++idx[k] < outShape[k]) break;
      idx[k] = 0;
    }
  }
}
