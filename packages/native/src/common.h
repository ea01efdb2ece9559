// Shared N-API plumbing: typed-array views (zero copy: pointers into the JS heap) and errors.
#pragma once
#include <node_api.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

// A list of integers read in place from an Int32Array argument: a shape, a permutation, a geometry.
struct Ints {
  const int32_t* data = nullptr;
  size_t size = 0;
  int64_t operator[](size_t i) const { return data[i]; }
  std::vector<int64_t> vec() const { return {data, data + size}; }
};
// The `count` lists packed into one Int32Array, [len_0 .. len_{count-1}, list_0..., list_1..., ...]: convImpl's
// geometry argument ([15, ...geom]); the kernels' integers travel as instruction fields instead. Throws unless it fits.
void intLists(napi_env env, napi_value value, Ints* lists, size_t count, const char* what);
int64_t intArg(napi_env env, napi_value value, const char* what);

// body(i) for i < n, vectorized, on the OpenMP pool only above parallelMin: a `parallel ... if (false)`
// region still enters libgomp, ~0.25 us a call (measured), more than a 256-element op costs.
template <class F>
inline void simdFor(size_t n, size_t parallelMin, F body) {
  if (n > parallelMin) {
#pragma omp parallel for simd
    for (size_t i = 0; i < n; i++) body(i);
  } else {
#pragma omp simd
    for (size_t i = 0; i < n; i++) body(i);
  }
}

// Activation codes shared with the JS side (packages/native/src/index.ts ACTIVATIONS).
enum Activation : int { kLinear = 0, kRelu = 1, kRelu6 = 2, kElu = 3, kSigmoid = 4, kLeakyRelu = 5 };

// Kernels (each file registers one family).
void conv2dForward(const std::vector<int64_t>& geom, const float* x, const float* w, const float* bias, float* y, int act,
                   float alpha);
void conv2dBackwardData(const std::vector<int64_t>& geom, const float* dy, const float* w, float* dx);
void conv2dBackwardWeights(const std::vector<int64_t>& geom, const float* x, const float* dy, float* dw);
std::string convImplInfo(const std::vector<int64_t>& geom);

void batchMatMul(int64_t batchA, int64_t batchB, int64_t m, int64_t n, int64_t k, bool transA, bool transB, const float* a,
                 const float* b, float* c, const float* bias, int64_t biasLength, int act, float alpha);

void maxPoolForward(const std::vector<int64_t>& geom, const float* x, float* y);
void maxPoolBackward(const std::vector<int64_t>& geom, const float* x, const float* dy, float* dx);

void applyActivation(float* y, size_t n, int act, float alpha);

// Elementwise ops with numpy broadcasting (shapes right-aligned), and reductions over one contiguous
// block of axes ([outer, reduced, inner]). Codes shared with the JS side (BINARY / UNARY in index.ts).
enum BinaryOp : int { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3, kSquaredDifference = 4 };
enum UnaryOp : int { kURelu = 0, kUStep = 1, kUNeg = 2, kUExp = 3, kUTanh = 4, kUSquare = 5, kUSqrt = 6, kUSigmoid = 7, kULog = 8, kURsqrt = 9 };
void binaryOp(int op, const float* a, Ints aShape, const float* b, Ints bShape, float* out, Ints outShape);
void unaryOp(int op, const float* x, float* y, size_t n, float alpha);
void reduceSum(const float* x, float* out, int64_t outer, int64_t reduced, int64_t inner, float scale);
// out = x transposed by perm (out axis i is x axis perm[i]).
void transpose(const float* x, Ints shape, Ints perm, float* out);
// out (shape[i] * reps[i]) = x repeated reps[i] times along every axis.
void tile(const float* x, Ints shape, Ints reps, float* out);
// out[i] = a (cmp) b as 0/1 bytes (tfjs's bool storage), with binaryOp's broadcasting: 0 >, 1 >=, 2 <, 3 <=, 4 ==, 5 !=.
void compareOp(int op, const float* a, Ints aShape, const float* b, Ints bShape, uint8_t* out, Ints outShape);
// Fused elementwise gradients (codes shared with GRAD in index.ts): out = the stock tfjs gradient of
// the op for upstream dy; a is the saved output (tanh, sigmoid) or input (relu, squared difference's a), b
// squared difference's other input (else unused). All arrays have n elements.
enum GradOp : int { kGTanh = 0, kGSigmoid = 1, kGRelu = 2, kGSquaredDifference = 3 };
void gradOp(int op, const float* dy, const float* a, const float* b, float* out, size_t n);
// Batch norm's normalisation with per-channel parameters folded into doubles: out = add + (x - sub) * mul.
void batchNormApply(const float* x, float* out, size_t rows, size_t channels, const double* mul, const double* sub, const double* add);
// Which library runs the GEMMs: oneDNN's brgemm matmul (default, cblas where it has none) or "openblas".
const char* gemmLibrary();
// A compiled step's plan (plan.cc, instruction layouts in plan-layout.h): slotTable holds [buffer, byteOffset, bytes]
// per slot; everything is checked before anything runs.
void runPlanChecked(const int32_t* code, size_t codeLength, const int32_t* slotTable, size_t slotCount, char* const* buffers,
                    const int64_t* bufferBytes, size_t bufferCount);
// runOp: one instruction whose slot ids index `buffers` directly (no slot table), each of the named type
// ("f32", "i32", "u8", "f64"; nullptr for an absent buffer), checked as a plan's are and against the op's declared
// slot types (plan-layout.h) before it runs.
void runOpChecked(const int32_t* code, size_t codeLength, char* const* buffers, const int64_t* bufferBytes, const char* const* bufferTypes,
                  size_t bufferCount);
// Throws unless every slot field of op names a buffer of the type plan-layout.h declares for it (plan-types.cc).
void checkSlotTypes(int op, const int32_t* fields, const char* const* bufferTypes, size_t bufferCount);
// Throws unless instruction n's slots hold what its geometry reads and writes (plan-extents.cc); called for every
// instruction before any runs.
void checkPlanExtents(size_t n, int op, const int32_t* fields, int count, const int64_t* slotBytes, size_t slotCount);
