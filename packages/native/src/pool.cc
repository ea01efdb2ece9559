// MaxPool and MaxPoolGrad with tfjs-backend-cpu's exact semantics (so gradients match it bit for bit):
// windows are clipped to the input (padding never wins), a running max starts at -Infinity and takes
// strictly greater values, so NaN never wins, ties go to the first element in row-major window order,
// and a window where nothing beats -Infinity routes no gradient. oneDNN's pooling backward needs the
// workspace of its own forward, which tfjs's MaxPoolGrad(dy, x, y) does not carry, so both are loops.
#include <algorithm>
#include <limits>

#include "common.h"

namespace {
// geom = [N, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL]
struct PoolGeom {
  int64_t N, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL;
};
PoolGeom parse(const std::vector<int64_t>& g) {
  if (g.size() != 14) throw std::invalid_argument("pool geometry must have 14 entries");
  return {g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13]};
}

// Index of the winning element of window (b, oh, ow, d), or -1.
inline int64_t argmaxAt(const PoolGeom& p, const float* x, int64_t b, int64_t oh, int64_t ow, int64_t d) {
  const int64_t r0 = oh * p.SH - p.PT, c0 = ow * p.SW - p.PL;
  const int64_t rMin = std::max<int64_t>(0, r0), rMax = std::min(p.H, r0 + (p.KH - 1) * p.DH + 1);
  const int64_t cMin = std::max<int64_t>(0, c0), cMax = std::min(p.W, c0 + (p.KW - 1) * p.DW + 1);
  float best = -std::numeric_limits<float>::infinity();
  int64_t at = -1;
  for (int64_t r = rMin; r < rMax; r += p.DH) {
    const int64_t rowBase = ((b * p.H + r) * p.W) * p.C + d;
    for (int64_t c = cMin; c < cMax; c += p.DW) {
      const float v = x[rowBase + c * p.C];
      if (v > best) {
        best = v;
        at = rowBase + c * p.C;
      }
    }
  }
  return at;
}
}  // namespace

void maxPoolForward(const std::vector<int64_t>& geom, const float* x, float* y) {
  const PoolGeom p = parse(geom);
  const float negInf = -std::numeric_limits<float>::infinity();
#pragma omp parallel for collapse(2) if (p.N * p.OH * p.OW * p.C > 32768)
  for (int64_t b = 0; b < p.N; b++) {
    for (int64_t oh = 0; oh < p.OH; oh++) {
      for (int64_t ow = 0; ow < p.OW; ow++) {
        float* out = y + ((b * p.OH + oh) * p.OW + ow) * p.C;
        for (int64_t d = 0; d < p.C; d++) {
          const int64_t at = argmaxAt(p, x, b, oh, ow, d);
          out[d] = at < 0 ? negInf : x[at];
        }
      }
    }
  }
}

void maxPoolBackward(const std::vector<int64_t>& geom, const float* x, const float* dy, float* dx) {
  const PoolGeom p = parse(geom);
  std::fill(dx, dx + p.N * p.H * p.W * p.C, 0.f);
  // windows of one image only ever write into that image: batch-parallel is race-free
#pragma omp parallel for if (p.N * p.OH * p.OW * p.C > 32768)
  for (int64_t b = 0; b < p.N; b++) {
    for (int64_t oh = 0; oh < p.OH; oh++) {
      for (int64_t ow = 0; ow < p.OW; ow++) {
        const float* g = dy + ((b * p.OH + oh) * p.OW + ow) * p.C;
        for (int64_t d = 0; d < p.C; d++) {
          const int64_t at = argmaxAt(p, x, b, oh, ow, d);
          if (at >= 0) dx[at] += g[d];
        }
      }
    }
  }
}
