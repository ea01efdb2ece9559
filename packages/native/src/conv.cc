// Conv2D forward (with bias + activation post-op, relu and relu6 as our epilogue), backprop-input and backprop-filter on oneDNN.
// Activations stay NHWC (tfjs's layout, oneDNN's "nhwc" tag: no reorder); filters are tfjs's
// [kh, kw, ci, co] ("hwio"), reordered per call into the layout oneDNN picks ("any"), which is a few
// KB for these models. Primitives are created once per geometry (JIT compilation costs milliseconds)
// and cached.
#include <dnnl.hpp>

#include <memory>
#include <mutex>
#include <unordered_map>

#include "common.h"

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

engine& eng() {
  static engine e(engine::kind::cpu, 0);
  return e;
}
stream& strm() {
  static stream s(eng());
  return s;
}

// geom = [N, H, W, Ci, OH, OW, Co, KH, KW, SH, SW, DH, DW, PT, PL]
struct Geom {
  memory::dims src, wei, dst, strides, dilates, padL, padR;
};

Geom parse(const std::vector<int64_t>& g) {
  if (g.size() != 15) throw std::invalid_argument("conv geometry must have 15 entries");
  const int64_t N = g[0], H = g[1], W = g[2], Ci = g[3], OH = g[4], OW = g[5], Co = g[6], KH = g[7], KW = g[8];
  const int64_t SH = g[9], SW = g[10], DH = g[11], DW = g[12], PT = g[13], PL = g[14];
  // right/bottom padding that makes oneDNN's output size formula give exactly tfjs's OH/OW (may be
  // negative for 'valid' pools whose last rows no window reaches)
  const int64_t PB = (OH - 1) * SH + (KH - 1) * DH + 1 - H - PT;
  const int64_t PR = (OW - 1) * SW + (KW - 1) * DW + 1 - W - PL;
  return {{N, Ci, H, W}, {Co, Ci, KH, KW}, {N, Co, OH, OW}, {SH, SW}, {DH - 1, DW - 1}, {PT, PL}, {PB, PR}};
}

std::string key(char kind, const std::vector<int64_t>& g, int extra = 0, float alpha = 0) {
  std::string k(1, kind);
  k.append(reinterpret_cast<const char*>(g.data()), g.size() * sizeof(int64_t));
  k.append(reinterpret_cast<const char*>(&extra), sizeof extra);
  k.append(reinterpret_cast<const char*>(&alpha), sizeof alpha);
  return k;
}

// oneDNN's JIT relu (alpha 0) and clip are max/min instructions that return the bound for NaN, so relu(NaN) was 0
// where cpu and PyTorch give NaN and a diverged model's NaN vanished before fit's check. Those two run as our
// epilogue instead (applyActivation: one pass over the output, which is still in cache); leaky relu's multiply
// and select, elu and logistic keep NaN in oneDNN.
bool ownEpilogue(int act) { return act == kRelu || act == kRelu6; }

post_ops activationPostOps(int act, float alpha) {
  post_ops po;
  switch (act) {
    case kLinear:
    case kRelu:
    case kRelu6: break;
    case kElu: po.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f); break;
    case kSigmoid: po.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); break;
    case kLeakyRelu: po.append_eltwise(1.f, algorithm::eltwise_relu, alpha, 0.f); break;
    default: throw std::invalid_argument("unsupported activation code " + std::to_string(act));
  }
  return po;
}

convolution_forward::primitive_desc forwardPd(const Geom& g, bool bias, int act, float alpha) {
  memory::desc src(g.src, dt::f32, tag::nhwc), wei(g.wei, dt::f32, tag::any), dst(g.dst, dt::f32, tag::nhwc);
  primitive_attr attr;
  attr.set_post_ops(activationPostOps(act, alpha));
  if (bias) {
    memory::desc b({g.dst[1]}, dt::f32, tag::x);
    convolution_forward::desc d(prop_kind::forward_training, algorithm::convolution_direct, src, wei, b, dst, g.strides, g.dilates,
                                g.padL, g.padR);
    return convolution_forward::primitive_desc(d, attr, eng());
  }
  convolution_forward::desc d(prop_kind::forward_training, algorithm::convolution_direct, src, wei, dst, g.strides, g.dilates, g.padL,
                              g.padR);
  return convolution_forward::primitive_desc(d, attr, eng());
}

// Weights in tfjs's layout, and (when oneDNN wants another) a buffer + reorder into its layout.
struct Weights {
  memory user, mine;
  std::unique_ptr<reorder> toMine, toUser;
  Weights(const memory::dims& dims, const memory::desc& wanted, bool backward) {
    memory::desc userMd(dims, dt::f32, tag::hwio);
    user = memory(userMd, eng(), DNNL_MEMORY_NONE);
    if (wanted == userMd) return;
    mine = memory(wanted, eng());
    if (backward) toUser = std::make_unique<reorder>(mine, user);
    else toMine = std::make_unique<reorder>(user, mine);
  }
  bool direct() const { return !mine; }
};

struct Fwd {
  convolution_forward prim;
  Weights w;
  memory src, dst, bias;
};
struct BwdData {
  convolution_backward_data prim;
  Weights w;
  memory diffDst, diffSrc;
};
struct BwdWeights {
  convolution_backward_weights prim;
  Weights w;
  memory src, diffDst;
};

std::mutex cacheMutex;
std::unordered_map<std::string, std::unique_ptr<Fwd>> fwdCache;
std::unordered_map<std::string, std::unique_ptr<BwdData>> bwdDataCache;
std::unordered_map<std::string, std::unique_ptr<BwdWeights>> bwdWeightsCache;

Fwd& fwd(const std::vector<int64_t>& geom, bool bias, int act, float alpha) {
  std::lock_guard<std::mutex> lock(cacheMutex);
  if (ownEpilogue(act)) act = kLinear;  // the same primitive as the linear conv's
  auto& slot = fwdCache[key('f', geom, (bias ? 16 : 0) + act, alpha)];
  if (!slot) {
    Geom g = parse(geom);
    auto pd = forwardPd(g, bias, act, alpha);
    slot.reset(new Fwd{convolution_forward(pd), Weights(g.wei, pd.weights_desc(), false), memory(pd.src_desc(), eng(), DNNL_MEMORY_NONE),
                       memory(pd.dst_desc(), eng(), DNNL_MEMORY_NONE),
                       bias ? memory(pd.bias_desc(), eng(), DNNL_MEMORY_NONE) : memory()});
  }
  return *slot;
}

BwdData& bwdData(const std::vector<int64_t>& geom) {
  std::lock_guard<std::mutex> lock(cacheMutex);
  auto& slot = bwdDataCache[key('d', geom)];
  if (!slot) {
    Geom g = parse(geom);
    auto hint = forwardPd(g, false, kLinear, 0);
    memory::desc dsrc(g.src, dt::f32, tag::nhwc), wei(g.wei, dt::f32, tag::any), ddst(g.dst, dt::f32, tag::nhwc);
    convolution_backward_data::desc d(algorithm::convolution_direct, dsrc, wei, ddst, g.strides, g.dilates, g.padL, g.padR);
    convolution_backward_data::primitive_desc pd(d, eng(), hint);
    slot.reset(new BwdData{convolution_backward_data(pd), Weights(g.wei, pd.weights_desc(), false),
                           memory(pd.diff_dst_desc(), eng(), DNNL_MEMORY_NONE), memory(pd.diff_src_desc(), eng(), DNNL_MEMORY_NONE)});
  }
  return *slot;
}

BwdWeights& bwdWeights(const std::vector<int64_t>& geom) {
  std::lock_guard<std::mutex> lock(cacheMutex);
  auto& slot = bwdWeightsCache[key('w', geom)];
  if (!slot) {
    Geom g = parse(geom);
    auto hint = forwardPd(g, false, kLinear, 0);
    memory::desc src(g.src, dt::f32, tag::nhwc), dwei(g.wei, dt::f32, tag::any), ddst(g.dst, dt::f32, tag::nhwc);
    convolution_backward_weights::desc d(algorithm::convolution_direct, src, dwei, ddst, g.strides, g.dilates, g.padL, g.padR);
    convolution_backward_weights::primitive_desc pd(d, eng(), hint);
    slot.reset(new BwdWeights{convolution_backward_weights(pd), Weights(g.wei, pd.diff_weights_desc(), true),
                              memory(pd.src_desc(), eng(), DNNL_MEMORY_NONE), memory(pd.diff_dst_desc(), eng(), DNNL_MEMORY_NONE)});
  }
  return *slot;
}

}  // namespace

void conv2dForward(const std::vector<int64_t>& geom, const float* x, const float* w, const float* bias, float* y, int act, float alpha) {
  Fwd& p = fwd(geom, bias != nullptr, act, alpha);
  p.src.set_data_handle(const_cast<float*>(x));
  p.dst.set_data_handle(y);
  p.w.user.set_data_handle(const_cast<float*>(w));
  if (!p.w.direct()) p.w.toMine->execute(strm(), p.w.user, p.w.mine);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, p.src}, {DNNL_ARG_WEIGHTS, p.w.direct() ? p.w.user : p.w.mine}, {DNNL_ARG_DST, p.dst}};
  if (bias) {
    p.bias.set_data_handle(const_cast<float*>(bias));
    args.insert({DNNL_ARG_BIAS, p.bias});
  }
  p.prim.execute(strm(), args);
  strm().wait();
  if (ownEpilogue(act)) applyActivation(y, static_cast<size_t>(geom[0] * geom[4] * geom[5] * geom[6]), act, alpha);
}

void conv2dBackwardData(const std::vector<int64_t>& geom, const float* dy, const float* w, float* dx) {
  BwdData& p = bwdData(geom);
  p.diffDst.set_data_handle(const_cast<float*>(dy));
  p.diffSrc.set_data_handle(dx);
  p.w.user.set_data_handle(const_cast<float*>(w));
  if (!p.w.direct()) p.w.toMine->execute(strm(), p.w.user, p.w.mine);
  p.prim.execute(strm(), {{DNNL_ARG_DIFF_DST, p.diffDst}, {DNNL_ARG_WEIGHTS, p.w.direct() ? p.w.user : p.w.mine}, {DNNL_ARG_DIFF_SRC, p.diffSrc}});
  strm().wait();
}

void conv2dBackwardWeights(const std::vector<int64_t>& geom, const float* x, const float* dy, float* dw) {
  BwdWeights& p = bwdWeights(geom);
  p.src.set_data_handle(const_cast<float*>(x));
  p.diffDst.set_data_handle(const_cast<float*>(dy));
  p.w.user.set_data_handle(dw);
  p.prim.execute(strm(), {{DNNL_ARG_SRC, p.src}, {DNNL_ARG_DIFF_DST, p.diffDst}, {DNNL_ARG_DIFF_WEIGHTS, p.w.direct() ? p.w.user : p.w.mine}});
  if (!p.w.direct()) p.w.toUser->execute(strm(), p.w.mine, p.w.user);
  strm().wait();
}

std::string convImplInfo(const std::vector<int64_t>& geom) {
  Geom g = parse(geom);
  auto f = forwardPd(g, true, kRelu, 0);
  auto hint = forwardPd(g, false, kLinear, 0);
  memory::desc src(g.src, dt::f32, tag::nhwc), wei(g.wei, dt::f32, tag::any), dst(g.dst, dt::f32, tag::nhwc);
  convolution_backward_data::primitive_desc bd(
      convolution_backward_data::desc(algorithm::convolution_direct, src, wei, dst, g.strides, g.dilates, g.padL, g.padR), eng(), hint);
  convolution_backward_weights::primitive_desc bw(
      convolution_backward_weights::desc(algorithm::convolution_direct, src, wei, dst, g.strides, g.dilates, g.padL, g.padR), eng(), hint);
  return std::string("forward: ") + f.impl_info_str() + "; backward data: " + bd.impl_info_str() + "; backward weights: " + bw.impl_info_str();
}
