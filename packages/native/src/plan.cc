// runPlan: a whole compiled training step in one N-API call. The JS side lowers the recorded kernel
// sequence to instructions (plan-layout.h) over slots, each a byte range of one buffer: buffer 0 is the
// plan's arena (every intermediate, at offsets planned by lifetime), the others are the step's inputs,
// parameters and optimizer slots, passed anew each call and updated in place. Every instruction and
// slot range is checked before the first one runs, so a malformed plan throws and writes nothing.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"
#include "plan-fused.h"
#include "plan-layout.h"

namespace {

struct Layout {
  int named = 0;
  bool tail = false;
  std::vector<int> slotFields;
};

const std::vector<Layout>& layouts() {
  static const std::vector<Layout> all = [] {
    std::vector<Layout> out;
    for (const auto& op : kPlanOps) {
      Layout l;
      std::string fields = op.fields;
      size_t at = 0;
      while (at <= fields.size()) {
        size_t comma = fields.find(',', at);
        if (comma == std::string::npos) comma = fields.size();
        std::string f = fields.substr(at, comma - at);
        if (f.size() >= 3 && f.compare(f.size() - 3, 3, "...") == 0) l.tail = true;
        else {
          if (f.rfind("slot:", 0) == 0) l.slotFields.push_back(l.named);
          l.named++;
        }
        at = comma + 1;
      }
      out.push_back(l);
    }
    return out;
  }();
  return all;
}

float bitsToFloat(int32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// Non-owning: runPlan resolves its slot table into vectors, runOp points at its arguments (no allocation: at
// 64 elements, a call's own overhead is the cost)
struct Slots {
  char* const* ptr;
  const int64_t* bytes;
  size_t count;
  char* at(int32_t s) const { return s < 0 ? nullptr : ptr[static_cast<size_t>(s)]; }
  float* f(int32_t s) const { return reinterpret_cast<float*>(at(s)); }
  int32_t* i(int32_t s) const { return reinterpret_cast<int32_t*>(at(s)); }
  uint8_t* b(int32_t s) const { return reinterpret_cast<uint8_t*>(at(s)); }
};

std::vector<int64_t> geometry(const int32_t* f, int from, int count) { return {f + from, f + from + count}; }

template <class T>
void castTo(const char* x, int from, T* out, int64_t n) {
  if (from == 0) {
    const float* v = reinterpret_cast<const float*>(x);
    for (int64_t i = 0; i < n; i++) out[i] = static_cast<T>(v[i]);
  } else if (from == 1) {
    const int32_t* v = reinterpret_cast<const int32_t*>(x);
    for (int64_t i = 0; i < n; i++) out[i] = static_cast<T>(v[i]);
  } else {
    const uint8_t* v = reinterpret_cast<const uint8_t*>(x);
    for (int64_t i = 0; i < n; i++) out[i] = static_cast<T>(v[i]);
  }
}

void cast(const char* x, char* out, int64_t n, int from, int to) {
  if (to == 0) return castTo(x, from, reinterpret_cast<float*>(out), n);
  if (to == 1) {
    int32_t* o = reinterpret_cast<int32_t*>(out);
    // tfjs-cpu: Int32Array.from(values) truncates toward zero
    if (from == 0) {
      const float* v = reinterpret_cast<const float*>(x);
      for (int64_t i = 0; i < n; i++) o[i] = std::isfinite(v[i]) ? static_cast<int32_t>(static_cast<int64_t>(std::trunc(v[i]))) : 0;
      return;
    }
    return castTo(x, from, o, n);
  }
  uint8_t* o = reinterpret_cast<uint8_t*>(out);
  if (from == 0) {
    const float* v = reinterpret_cast<const float*>(x);
    for (int64_t i = 0; i < n; i++) o[i] = v[i] != 0.f ? 1 : 0;  // NaN != 0: true, as tfjs-cpu's x !== 0
  } else if (from == 1) {
    const int32_t* v = reinterpret_cast<const int32_t*>(x);
    for (int64_t i = 0; i < n; i++) o[i] = v[i] != 0 ? 1 : 0;
  } else {
    std::memcpy(o, x, static_cast<size_t>(n));
  }
}

// tfjs-cpu's Max: the first element, then any greater one or a NaN
void reduceMax(const float* x, float* out, int64_t outer, int64_t reduced, int64_t inner) {
  for (int64_t o = 0; o < outer; o++)
    for (int64_t j = 0; j < inner; j++) {
      const float* src = x + o * reduced * inner + j;
      float m = src[0];
      for (int64_t r = 1; r < reduced; r++) {
        float v = src[r * inner];
        if (v != v || v > m) m = v;
      }
      out[o * inner + j] = m;
    }
}

void run(int code, const int32_t* f, int count, const Slots& s) {
  switch (code) {
    case 0: return conv2dForward(geometry(f, 6, count - 6), s.f(f[0]), s.f(f[1]), s.f(f[2]), s.f(f[3]), f[4], bitsToFloat(f[5]));
    case 1: return conv2dBackwardData(geometry(f, 3, count - 3), s.f(f[0]), s.f(f[1]), s.f(f[2]));
    case 2: return conv2dBackwardWeights(geometry(f, 3, count - 3), s.f(f[0]), s.f(f[1]), s.f(f[2]));
    case 3:
      return batchMatMul(f[5], f[6], f[7], f[8], f[9], f[10] != 0, f[11] != 0, s.f(f[0]), s.f(f[1]), s.f(f[2]), s.f(f[3]), f[4], f[12],
                         bitsToFloat(f[13]));
    case 4: return maxPoolForward(geometry(f, 2, count - 2), s.f(f[0]), s.f(f[1]));
    case 5: return maxPoolBackward(geometry(f, 3, count - 3), s.f(f[0]), s.f(f[1]), s.f(f[2]));
    case 6:
    case 7: {
      const size_t rank = static_cast<size_t>(f[4]);
      Ints a{f + 5, rank}, b{f + 5 + rank, rank}, o{f + 5 + 2 * rank, rank};
      if (code == 6) return binaryOp(f[0], s.f(f[1]), a, s.f(f[2]), b, s.f(f[3]), o);
      return compareOp(f[0], s.f(f[1]), a, s.f(f[2]), b, s.b(f[3]), o);
    }
    case 8: return unaryOp(f[0], s.f(f[1]), s.f(f[2]), static_cast<size_t>(f[3]), bitsToFloat(f[4]));
    case 9: return gradOp(f[0], s.f(f[1]), s.f(f[2]), s.f(f[3]), s.f(f[4]), static_cast<size_t>(f[5]));
    case 10: return reduceSum(s.f(f[0]), s.f(f[1]), f[2], f[3], f[4], bitsToFloat(f[5]));
    case 11: return reduceMax(s.f(f[0]), s.f(f[1]), f[2], f[3], f[4]);
    case 12:
    case 13: {
      const size_t rank = static_cast<size_t>(f[2]);
      Ints shape{f + 3, rank}, second{f + 3 + rank, rank};
      if (code == 12) return transpose(s.f(f[0]), shape, second, s.f(f[1]));
      return tile(s.f(f[0]), shape, second, s.f(f[1]));
    }
    case 14: std::memmove(s.at(f[1]), s.at(f[0]), static_cast<size_t>(f[2])); return;
    case 15: return cast(s.at(f[0]), s.at(f[1]), f[2], f[3], f[4]);
    case 16: {
      const uint8_t* a = s.b(f[1]);
      const uint8_t* b = s.b(f[2]);
      uint8_t* o = s.b(f[3]);
      const int64_t n = f[4], aStep = f[5] == 1 ? 0 : 1, bStep = f[6] == 1 ? 0 : 1;
      for (int64_t i = 0; i < n; i++) {
        const bool x = a[i * aStep] != 0;
        o[i] = f[0] == 2 ? !x : f[0] == 0 ? (x && b[i * bStep] != 0) : (x || b[i * bStep] != 0);
      }
      return;
    }
    case 17: std::memset(s.at(f[0]), 0, static_cast<size_t>(f[1])); return;
    case 18: {
      const uint8_t* c = s.b(f[0]);
      const size_t e = static_cast<size_t>(f[5]);
      for (int64_t i = 0; i < f[4]; i++) std::memcpy(s.at(f[3]) + i * e, (c[i] ? s.at(f[1]) : s.at(f[2])) + i * e, e);
      return;
    }
    case 19: {
      const int32_t* idx = s.i(f[0]);
      const int64_t n = f[2], depth = f[3];
      const float on = bitsToFloat(f[4]), off = bitsToFloat(f[5]);
      for (int64_t i = 0; i < n; i++)
        for (int64_t d = 0; d < depth; d++) {
          const float v = idx[i] == d ? on : off;
          if (f[6] == 0) s.f(f[1])[i * depth + d] = v;
          else s.i(f[1])[i * depth + d] = static_cast<int32_t>(v);
        }
      return;
    }
    case 20: {
      // int32 wraps as tfjs-cpu's Int32Array stores do
      const uint32_t* a = reinterpret_cast<const uint32_t*>(s.i(f[1]));
      const uint32_t* b = reinterpret_cast<const uint32_t*>(s.i(f[2]));
      uint32_t* o = reinterpret_cast<uint32_t*>(s.i(f[3]));
      const int64_t n = f[4], aStep = f[5] == 1 ? 0 : 1, bStep = f[6] == 1 ? 0 : 1;
      for (int64_t i = 0; i < n; i++) {
        const uint32_t x = a[i * aStep], y = b[i * bStep];
        o[i] = f[0] == 0 ? x + y : f[0] == 1 ? x - y : x * y;
      }
      return;
    }
    case 21: {
      const double* p = reinterpret_cast<const double*>(s.at(f[2]));
      const double* q = reinterpret_cast<const double*>(s.at(f[3]));
      const double* r = reinterpret_cast<const double*>(s.at(f[4]));
      return batchNormApply(s.f(f[0]), s.f(f[1]), static_cast<size_t>(f[5]), static_cast<size_t>(f[6]), p, q, r);
    }
    case 22: return runFused(f, s.ptr);
    default: throw std::invalid_argument("plan op code " + std::to_string(code) + " is unknown");
  }
}

}  // namespace

namespace {

// Every instruction checked before any runs, so a malformed plan (or op) changes nothing.
void checkAll(const int32_t* code, size_t codeLength, const Slots& s) {
  const auto& all = layouts();
  const size_t slotCount = s.count;
  for (size_t pc = 0, n = 0; pc < codeLength; n++) {
    if (pc + 2 > codeLength) throw std::invalid_argument("plan instruction " + std::to_string(n) + " is truncated");
    const int32_t op = code[pc], count = code[pc + 1];
    if (op < 0 || op >= kPlanOpCount) throw std::invalid_argument("plan instruction " + std::to_string(n) + " has unknown op code " + std::to_string(op));
    const Layout& l = all[static_cast<size_t>(op)];
    if (count < l.named || (!l.tail && count != l.named) || pc + 2 + static_cast<size_t>(count) > codeLength) {
      throw std::invalid_argument("plan instruction " + std::to_string(n) + " (" + kPlanOps[op].name + ") has " + std::to_string(count) +
                                  " fields, expected " + std::to_string(l.named) + (l.tail ? " or more" : ""));
    }
    for (int k : l.slotFields) {
      const int32_t slot = code[pc + 2 + static_cast<size_t>(k)];
      if (slot < -1 || slot >= static_cast<int32_t>(slotCount)) {
        throw std::invalid_argument("plan instruction " + std::to_string(n) + " (" + kPlanOps[op].name + ") reads slot " + std::to_string(slot) +
                                    ", expected -1 or below " + std::to_string(slotCount));
      }
    }
    checkPlanExtents(n, op, code + pc + 2, count, s.bytes, s.count);
    pc += 2 + static_cast<size_t>(count);
  }
}

void runAll(const int32_t* code, size_t codeLength, const Slots& s) {
  for (size_t pc = 0; pc < codeLength;) {
    const int32_t count = code[pc + 1];
    run(code[pc], code + pc + 2, count, s);
    pc += 2 + static_cast<size_t>(count);
  }
}

}  // namespace

void runPlanChecked(const int32_t* code, size_t codeLength, const int32_t* slotTable, size_t slotCount, char* const* buffers,
                    const int64_t* bufferBytes, size_t bufferCount) {
  std::vector<char*> ptr(slotCount);
  std::vector<int64_t> slotBytes(slotCount);
  for (size_t i = 0; i < slotCount; i++) {
    const int32_t buf = slotTable[3 * i], offset = slotTable[3 * i + 1], bytes = slotTable[3 * i + 2];
    if (buf < 0 || static_cast<size_t>(buf) >= bufferCount) {
      throw std::invalid_argument("plan slot " + std::to_string(i) + " names buffer " + std::to_string(buf) + ", expected one of " +
                                  std::to_string(bufferCount));
    }
    if (offset < 0 || bytes < 0 || offset + static_cast<int64_t>(bytes) > bufferBytes[buf] || buffers[buf] == nullptr) {
      throw std::invalid_argument("plan slot " + std::to_string(i) + " is bytes " + std::to_string(offset) + ".." +
                                  std::to_string(offset + bytes) + " of buffer " + std::to_string(buf) + ", which has " +
                                  std::to_string(bufferBytes[buf]) + " bytes");
    }
    ptr[i] = buffers[buf] + offset;
    slotBytes[i] = bytes;
  }
  const Slots s{ptr.data(), slotBytes.data(), slotCount};
  checkAll(code, codeLength, s);
  runAll(code, codeLength, s);
}

void runOpChecked(const int32_t* code, size_t codeLength, char* const* buffers, const int64_t* bufferBytes, const char* const* bufferTypes,
                  size_t bufferCount) {
  // exactly one instruction: a field count that disagrees with the array is a caller's bug, not a second instruction
  if (codeLength < 2 || code[1] < 0 || codeLength != 2 + static_cast<size_t>(code[1])) {
    throw std::invalid_argument("runOp's code must be one instruction [op, fieldCount, ...fields]: it has " + std::to_string(codeLength) +
                                " entries" + (codeLength >= 2 ? ", its field count says " + std::to_string(code[1]) : std::string()));
  }
  const Slots s{buffers, bufferBytes, bufferCount};
  checkAll(code, codeLength, s);
  checkSlotTypes(code[0], code + 2, bufferTypes, bufferCount);
  runAll(code, codeLength, s);
}
