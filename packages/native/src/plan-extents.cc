// What each instruction reads and writes, checked against its slots' byte ranges before a plan runs: the eager
// kernels call the addon as one-instruction plans (backends/src/native/run-op.ts), so this is where a call whose
// arrays are shorter than its geometry says fails cleanly instead of reading or writing out of bounds. Covers the
// ops with their own sizes: convolutions, matMul, max pool, the elementwise ops, reductions, transpose and tile (the
// lowering alone sizes copy, cast, fill and the other plan-only ops), and batchNorm.
#include <algorithm>
#include <string>

#include "common.h"
#include "plan-fused.h"
#include "plan-layout.h"

namespace {

struct Instr {
  size_t n;
  int op;
  const int32_t* f;
  int count;
  const int64_t* bytes;

  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument("plan instruction " + std::to_string(n) + " (" + kPlanOps[op].name + ") " + what);
  }
  // field k names a slot holding at least `elements` values of `size` bytes; -1 (absent) only when optional
  void need(int k, int64_t elements, const char* name, bool optional = false, int64_t size = 4) const {
    const int32_t slot = f[k];
    if (slot < 0) {
      if (optional) return;
      fail(std::string("has no slot for ") + name);
    }
    const int64_t have = bytes[static_cast<size_t>(slot)], want = elements * size;
    if (have < want) fail(std::string(name) + " is slot " + std::to_string(slot) + " of " + std::to_string(have) + " bytes, expected " + std::to_string(want));
  }
  // the geometry tail: exactly `want` entries, none negative
  const int32_t* geometry(int from, int want) const {
    if (count - from != want) fail("has " + std::to_string(count - from) + " geometry entries, expected " + std::to_string(want));
    for (int i = from; i < count; i++)
      if (f[i] < 0) fail("has geometry entry " + std::to_string(i - from) + " = " + std::to_string(f[i]) + ", expected >= 0");
    return f + from;
  }
};

int64_t prod(std::initializer_list<int64_t> v) {
  int64_t p = 1;
  for (int64_t x : v) p *= x;
  return p;
}

}  // namespace

void checkPlanExtents(size_t n, int op, const int32_t* f, int count, const int64_t* slotBytes, size_t slotCount) {
  const Instr in{n, op, f, count, slotBytes};
  switch (op) {
    case 0:
    case 1:
    case 2: {
      // conv geometry [N, H, W, Ci, OH, OW, Co, KH, KW, SH, SW, DH, DW, PT, PL]
      const int32_t* g = in.geometry(op == 0 ? 6 : 3, 15);
      const int64_t xs = prod({g[0], g[1], g[2], g[3]}), ys = prod({g[0], g[4], g[5], g[6]}), ws = prod({g[7], g[8], g[3], g[6]});
      if (op == 0) {
        in.need(0, xs, "x");
        in.need(1, ws, "filter");
        in.need(2, g[6], "bias", true);
        in.need(3, ys, "y");
      } else if (op == 1) {
        in.need(0, ys, "dy");
        in.need(1, ws, "filter");
        in.need(2, xs, "dx");
      } else {
        in.need(0, xs, "x");
        in.need(1, ys, "dy");
        in.need(2, ws, "dw");
      }
      return;
    }
    case 3: {
      // matMul: slot:a,slot:b,slot:c,slot:bias,biasLength,batchA,batchB,m,n,k,...
      const int64_t biasLength = f[4], batchA = f[5], batchB = f[6], m = f[7], nn = f[8], k = f[9];
      if (std::min({batchA, batchB, m, nn, k}) < 0) in.fail("has a negative size");
      if (batchA != batchB && batchA != 1 && batchB != 1)
        in.fail("has batches " + std::to_string(batchA) + " and " + std::to_string(batchB) + ", expected equal or one of them 1");
      in.need(0, batchA * m * k, "a");
      in.need(1, batchB * k * nn, "b");
      in.need(2, std::max(batchA, batchB) * m * nn, "c");
      if (f[3] >= 0 && biasLength != 1 && biasLength != nn)
        in.fail("has a bias of " + std::to_string(biasLength) + " values, expected 1 or n = " + std::to_string(nn));
      in.need(3, biasLength, "bias", true);
      return;
    }
    case 4:
    case 5: {
      // pool geometry [N, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL]
      const int32_t* g = in.geometry(op == 4 ? 2 : 3, 14);
      const int64_t xs = prod({g[0], g[1], g[2], g[3]}), ys = prod({g[0], g[4], g[5], g[3]});
      in.need(0, xs, "x");
      if (op == 4) return in.need(1, ys, "y");
      in.need(1, ys, "dy");
      in.need(2, xs, "dx");
      return;
    }
    case 6:
    case 7: {
      // binary / compare: op,a,b,out,rank, then a's, b's and out's shapes (rank entries each, right-aligned)
      const int64_t rank = f[4];
      if (rank < 0 || count - 5 != 3 * rank) in.fail("has " + std::to_string(count - 5) + " shape entries, expected 3 x rank " + std::to_string(rank));
      const int32_t* s = in.geometry(5, static_cast<int>(3 * rank));
      int64_t sizes[3] = {1, 1, 1};
      for (int64_t k = 0; k < 3 * rank; k++) sizes[k / rank] *= s[k];
      // each operand axis is out's or 1: the loops step through an operand by out's extents
      for (int64_t k = 0; k < rank; k++) {
        const int64_t o = s[2 * rank + k];
        if ((s[k] != o && s[k] != 1) || (s[rank + k] != o && s[rank + k] != 1))
          in.fail("has axis " + std::to_string(k) + " of sizes " + std::to_string(s[k]) + " and " + std::to_string(s[rank + k]) +
                  ", which do not broadcast to out's " + std::to_string(o));
      }
      in.need(1, sizes[0], "a");
      in.need(2, sizes[1], "b");
      in.need(3, sizes[2], "out", false, op == 6 ? 4 : 1);
      return;
    }
    case 8:
      if (f[3] < 0) in.fail("has n = " + std::to_string(f[3]) + ", expected >= 0");
      in.need(1, f[3], "x");
      return in.need(2, f[3], "y");
    case 9:
      if (f[5] < 0) in.fail("has n = " + std::to_string(f[5]) + ", expected >= 0");
      in.need(1, f[5], "dy");
      in.need(2, f[5], "a");
      in.need(3, f[5], "b", f[0] != kGSquaredDifference);  // only squared difference reads b
      return in.need(4, f[5], "out");
    case 10:
    case 11:
      if (std::min({f[2], f[3], f[4]}) < 0) in.fail("has a negative size");
      in.need(0, prod({f[2], f[3], f[4]}), "x");
      return in.need(1, prod({f[2], f[4]}), "out");
    case 12:
    case 13: {
      // transpose / tile: x's shape, then the permutation or the repetitions
      const int64_t rank = f[2];
      if (rank < 0 || count - 3 != 2 * rank) in.fail("has " + std::to_string(count - 3) + " shape entries, expected 2 x rank " + std::to_string(rank));
      const int32_t* d = in.geometry(3, static_cast<int>(2 * rank));
      if (op == 12) {
        // a repeated axis would read x past its end
        std::vector<bool> seen(static_cast<size_t>(rank), false);
        for (int64_t k = 0; k < rank; k++) {
          const int64_t p = d[rank + k];
          if (p >= rank || seen[static_cast<size_t>(p)]) in.fail("has perm " + std::to_string(p) + " at " + std::to_string(k) + ", expected a permutation of 0.." + std::to_string(rank - 1));
          seen[static_cast<size_t>(p)] = true;
        }
      }
      int64_t xs = 1, outs = 1;
      for (int64_t k = 0; k < rank; k++) {
        xs *= d[k];
        outs *= op == 12 ? d[k] : d[k] * d[rank + k];
      }
      in.need(0, xs, "x");
      return in.need(1, outs, "out");
    }
    case 21:
      // batchNorm: x and out hold rows x channels floats, the three parameters one double per channel
      if (std::min(f[5], f[6]) < 0) in.fail("has a negative size");
      in.need(0, prod({f[5], f[6]}), "x");
      in.need(1, prod({f[5], f[6]}), "out");
      in.need(2, f[6], "mul", false, 8);
      in.need(3, f[6], "sub", false, 8);
      return in.need(4, f[6], "add", false, 8);
    case 22: return checkFused(n, f, count, slotBytes, slotCount);
    default: return;
  }
}
