// The fused elementwise instruction: fields [out, n, inputs, steps, (slot, period) per input, (kind, op, r1, r2, r3) per
// step]. Registers 0..inputs-1 are the inputs (input i's element e is slot[e % period]: the full value, a scalar, or a
// trailing-axes broadcast such as a bias row); step j writes register inputs + j, and the last step writes `out`. The
// chain runs block by block, each step calling the same kernel the unfused instruction calls (binaryOp on same-size
// operands, unaryOp, gradOp), so every element goes through the same float operations in the same order: the result is
// bitwise the unfused plan's, minus the passes over memory and the arena bytes of the intermediates.
#include "plan-fused.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "common.h"

namespace {

constexpr int64_t kBlock = 1024;
constexpr int kMaxRegisters = 32;
constexpr int64_t kParallelMin = 262144;
enum Kind : int32_t { kBinary = 0, kUnary = 1, kGrad = 2 };

[[noreturn]] void fail(size_t n, const std::string& what) {
  throw std::invalid_argument("plan instruction " + std::to_string(n) + " (fused) " + what);
}

float bits(int32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

}  // namespace

void checkFused(size_t n, const int32_t* f, int count, const int64_t* slotBytes, size_t slotCount) {
  const int64_t elements = f[1], inputs = f[2], steps = f[3];
  if (elements < 0 || inputs < 0 || steps < 1 || inputs + steps > kMaxRegisters)
    fail(n, "has n = " + std::to_string(elements) + ", " + std::to_string(inputs) + " inputs and " + std::to_string(steps) +
                " steps, expected n >= 0, at least one step and at most " + std::to_string(kMaxRegisters) + " registers");
  if (count != 4 + 2 * inputs + 5 * steps)
    fail(n, "has " + std::to_string(count) + " fields, expected " + std::to_string(4 + 2 * inputs + 5 * steps) + " for its program");
  const auto need = [&](int32_t slot, int64_t values, const std::string& name) {
    if (slot < 0 || static_cast<size_t>(slot) >= slotCount)
      fail(n, "names slot " + std::to_string(slot) + " for " + name + ", expected one below " + std::to_string(slotCount));
    if (slotBytes[static_cast<size_t>(slot)] < 4 * values)
      fail(n, name + " is slot " + std::to_string(slot) + " of " + std::to_string(slotBytes[static_cast<size_t>(slot)]) +
                  " bytes, expected " + std::to_string(4 * values));
  };
  need(f[0], elements, "out");
  for (int64_t i = 0; i < inputs; i++) {
    const int64_t period = f[4 + 2 * i + 1];
    if (period < 1 || (elements > 0 && elements % period != 0))
      fail(n, "input " + std::to_string(i) + " repeats every " + std::to_string(period) + " elements, expected a divisor of n = " +
                  std::to_string(elements));
    need(f[4 + 2 * i], period, "input " + std::to_string(i));
  }
  for (int64_t j = 0; j < steps; j++) {
    const int32_t* s = f + 4 + 2 * inputs + 5 * j;
    const int64_t below = inputs + j;
    const bool grad = s[0] == kGrad && s[1] == kGSquaredDifference;
    const int reads = s[0] == kUnary ? 1 : s[0] == kBinary ? 2 : grad ? 3 : 2;
    if (s[0] < kBinary || s[0] > kGrad) fail(n, "step " + std::to_string(j) + " has kind " + std::to_string(s[0]) + ", expected 0, 1 or 2");
    // an unknown op would throw halfway through the plan: refuse it before anything runs
    const int ops = s[0] == kBinary ? kSquaredDifference : s[0] == kUnary ? kURsqrt : kGSquaredDifference;
    if (s[1] < 0 || s[1] > ops)
      fail(n, "step " + std::to_string(j) + " has op " + std::to_string(s[1]) + ", expected 0.." + std::to_string(ops) + " for its kind");
    for (int r = 0; r < reads; r++)
      if (s[2 + r] < 0 || s[2 + r] >= below)
        fail(n, "step " + std::to_string(j) + " reads register " + std::to_string(s[2 + r]) + ", expected one below " + std::to_string(below));
  }
}

void runFused(const int32_t* f, char* const* slots) {
  const int64_t n = f[1], inputs = f[2], steps = f[3];
  const int32_t* in = f + 4;
  const int32_t* program = in + 2 * inputs;
  float* out = reinterpret_cast<float*>(slots[f[0]]);
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  auto block = [&](int64_t k) {
    // one block per register, per thread, kept between calls (a fresh 32-register frame per block cost more than the ops)
    thread_local std::vector<float> scratch;
    scratch.resize(static_cast<size_t>((inputs + steps) * kBlock));
    const float* reg[kMaxRegisters];
    const int64_t b = k * kBlock, m = std::min(kBlock, n - b);
    const int32_t m32 = static_cast<int32_t>(m);
    const Ints shape{&m32, 1};
    for (int64_t i = 0; i < inputs; i++) {
      const float* src = reinterpret_cast<const float*>(slots[in[2 * i]]);
      const int64_t period = in[2 * i + 1];
      if (period == n) {
        reg[i] = src + b;  // read in place
        continue;
      }
      float* r = scratch.data() + i * kBlock;
      if (period == 1) std::fill(r, r + m, src[0]);
      else
        for (int64_t e = 0, at = b % period; e < m; at = 0) {
          const int64_t run = std::min(period - at, m - e);
          std::memcpy(r + e, src + at, static_cast<size_t>(run) * sizeof(float));
          e += run;
        }
      reg[i] = r;
    }
    for (int64_t j = 0; j < steps; j++) {
      const int32_t* s = program + 5 * j;
      float* dst = j == steps - 1 ? out + b : scratch.data() + (inputs + j) * kBlock;
      if (s[0] == kBinary) binaryOp(s[1], reg[s[2]], shape, reg[s[3]], shape, dst, shape);
      else if (s[0] == kUnary) unaryOp(s[1], reg[s[2]], dst, static_cast<size_t>(m), bits(s[4]));
      else gradOp(s[1], reg[s[2]], reg[s[3]], s[1] == kGSquaredDifference ? reg[s[4]] : nullptr, dst, static_cast<size_t>(m));
      reg[inputs + j] = dst;
    }
  };
  // binaryOp's threshold: the chain's steps would each have run single-threaded below it
  if (n > kParallelMin) {
#pragma omp parallel for
    for (int64_t k = 0; k < blocks; k++) block(k);
  } else {
    for (int64_t k = 0; k < blocks; k++) block(k);
  }
}
