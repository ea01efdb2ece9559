// Shared N-API plumbing: typed-array views (zero copy: pointers into the JS heap) and errors.
#pragma once
#include <node_api.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

struct F32View {
  float* data;
  size_t length;
};

// A Float32Array argument as a raw pointer; the JS side keeps it alive for the duration of the call.
F32View f32Arg(napi_env env, napi_value value, const char* what);
// An optional Float32Array (null/undefined -> data == nullptr).
F32View f32ArgOrNull(napi_env env, napi_value value, const char* what);
// An Int32Array or array of integers (shapes and kernel geometry).
std::vector<int64_t> intsArg(napi_env env, napi_value value, const char* what);
int64_t intArg(napi_env env, napi_value value, const char* what);
double numberArg(napi_env env, napi_value value, const char* what);
bool boolArg(napi_env env, napi_value value);

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
enum UnaryOp : int { kURelu = 0, kUStep = 1, kUNeg = 2, kUExp = 3, kUTanh = 4, kUSquare = 5, kUSqrt = 6, kUSigmoid = 7, kULog = 8 };
void binaryOp(int op, const float* a, const std::vector<int64_t>& aShape, const float* b, const std::vector<int64_t>& bShape, float* out,
              const std::vector<int64_t>& outShape);
void unaryOp(int op, const float* x, float* y, size_t n, float alpha);
void reduceSum(const float* x, float* out, int64_t outer, int64_t reduced, int64_t inner, float scale);
// out = x transposed by perm (out axis i is x axis perm[i]).
void transpose(const float* x, const std::vector<int64_t>& shape, const std::vector<int64_t>& perm, float* out);
// out (shape[i] * reps[i]) = x repeated reps[i] times along every axis.
void tile(const float* x, const std::vector<int64_t>& shape, const std::vector<int64_t>& reps, float* out);
// out[i] = a (cmp) b as 0/1 bytes (tfjs's bool storage), with binaryOp's broadcasting: 0 >, 1 >=, 2 <, 3 <=.
void compareOp(int op, const float* a, const std::vector<int64_t>& aShape, const float* b, const std::vector<int64_t>& bShape, uint8_t* out,
               const std::vector<int64_t>& outShape);
// Fused elementwise gradients (codes shared with GRAD in index.ts): out = the stock tfjs gradient of
// the op for upstream dy; a is the saved output (tanh, sigmoid) or input (relu, squared difference's a), b
// squared difference's other input (else unused). All arrays have n elements.
enum GradOp : int { kGTanh = 0, kGSigmoid = 1, kGRelu = 2, kGSquaredDifference = 3 };
void gradOp(int op, const float* dy, const float* a, const float* b, float* out, size_t n);
// Batch norm's normalisation with per-channel parameters folded into doubles: out = add + (x - sub) * mul.
void batchNormApply(const float* x, float* out, size_t rows, size_t channels, const double* mul, const double* sub, const double* add);
