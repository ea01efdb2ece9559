// N-API entry points. Every kernel takes Float32Arrays owned by tfjs's cpu-style backend and writes its
// output into a Float32Array the caller allocated: no copies across the boundary. Arguments are
// validated here (sizes against the geometry) so a wrong call throws instead of corrupting memory.
#include <omp.h>
#include <cblas.h>
#include <dnnl.hpp>

#include <functional>

#include "common.h"

namespace {

void check(napi_env env, napi_status s, const char* what) {
  if (s != napi_ok) throw std::invalid_argument(std::string("bad argument: ") + what);
}

}  // namespace

F32View f32Arg(napi_env env, napi_value value, const char* what) {
  bool isTyped = false;
  check(env, napi_is_typedarray(env, value, &isTyped), what);
  if (!isTyped) throw std::invalid_argument(std::string(what) + " must be a Float32Array");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  check(env, napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr), what);
  if (type != napi_float32_array) throw std::invalid_argument(std::string(what) + " must be a Float32Array");
  return {static_cast<float*>(data), length};
}

F32View f32ArgOrNull(napi_env env, napi_value value, const char* what) {
  napi_valuetype t;
  check(env, napi_typeof(env, value, &t), what);
  if (t == napi_null || t == napi_undefined) return {nullptr, 0};
  return f32Arg(env, value, what);
}

int64_t intArg(napi_env env, napi_value value, const char* what) {
  int64_t v = 0;
  check(env, napi_get_value_int64(env, value, &v), what);
  return v;
}

double numberArg(napi_env env, napi_value value, const char* what) {
  double v = 0;
  check(env, napi_get_value_double(env, value, &v), what);
  return v;
}

bool boolArg(napi_env env, napi_value value) {
  bool v = false;
  napi_get_value_bool(env, value, &v);
  return v;
}

std::vector<int64_t> intsArg(napi_env env, napi_value value, const char* what) {
  bool isTyped = false;
  check(env, napi_is_typedarray(env, value, &isTyped), what);
  std::vector<int64_t> out;
  if (isTyped) {
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    check(env, napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr), what);
    if (type != napi_int32_array) throw std::invalid_argument(std::string(what) + " must be an Int32Array");
    const int32_t* v = static_cast<const int32_t*>(data);
    out.assign(v, v + length);
    return out;
  }
  uint32_t length = 0;
  check(env, napi_get_array_length(env, value, &length), what);
  for (uint32_t i = 0; i < length; i++) {
    napi_value e;
    check(env, napi_get_element(env, value, i, &e), what);
    out.push_back(intArg(env, e, what));
  }
  return out;
}

namespace {

using Body = std::function<napi_value(napi_env, napi_value*, size_t)>;

// Runs a kernel body, turning C++ exceptions (bad arguments, oneDNN errors) into JS errors.
napi_value guarded(napi_env env, napi_callback_info info, size_t want, const Body& body) {
  napi_value argv[16];
  size_t argc = 16;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  try {
    if (argc < want) throw std::invalid_argument("expected " + std::to_string(want) + " arguments, got " + std::to_string(argc));
    return body(env, argv, argc);
  } catch (const dnnl::error& e) {
    napi_throw_error(env, "LOGITLAB_NATIVE_DNNL", (std::string("oneDNN: ") + e.what()).c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, "LOGITLAB_NATIVE_ARG", e.what());
  }
  return nullptr;
}

void need(const F32View& v, int64_t n, const char* what) {
  if (v.data == nullptr || static_cast<int64_t>(v.length) < n) {
    throw std::invalid_argument(std::string(what) + " has " + std::to_string(v.length) + " elements, expected " + std::to_string(n));
  }
}

napi_value undefinedValue(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// conv geometry [N, H, W, Ci, OH, OW, Co, KH, KW, SH, SW, DH, DW, PT, PL]
int64_t convIn(const std::vector<int64_t>& g) { return g.at(0) * g.at(1) * g.at(2) * g.at(3); }
int64_t convOut(const std::vector<int64_t>& g) { return g.at(0) * g.at(4) * g.at(5) * g.at(6); }
int64_t convFilter(const std::vector<int64_t>& g) { return g.at(7) * g.at(8) * g.at(3) * g.at(6); }

// conv2dForward(geom, x, w, bias | null, y, act, alpha)
napi_value Conv2dForward(napi_env env, napi_callback_info info) {
  return guarded(env, info, 7, [](napi_env env, napi_value* a, size_t) {
    auto g = intsArg(env, a[0], "geometry");
    auto x = f32Arg(env, a[1], "x"), w = f32Arg(env, a[2], "filter"), y = f32Arg(env, a[4], "y");
    auto bias = f32ArgOrNull(env, a[3], "bias");
    need(x, convIn(g), "x");
    need(w, convFilter(g), "filter");
    need(y, convOut(g), "y");
    if (bias.data) need(bias, g[6], "bias");
    conv2dForward(g, x.data, w.data, bias.data, y.data, static_cast<int>(intArg(env, a[5], "activation")),
                  static_cast<float>(numberArg(env, a[6], "alpha")));
    return undefinedValue(env);
  });
}

// conv2dBackwardData(geom, dy, w, dx)
napi_value Conv2dBackwardData(napi_env env, napi_callback_info info) {
  return guarded(env, info, 4, [](napi_env env, napi_value* a, size_t) {
    auto g = intsArg(env, a[0], "geometry");
    auto dy = f32Arg(env, a[1], "dy"), w = f32Arg(env, a[2], "filter"), dx = f32Arg(env, a[3], "dx");
    need(dy, convOut(g), "dy");
    need(w, convFilter(g), "filter");
    need(dx, convIn(g), "dx");
    conv2dBackwardData(g, dy.data, w.data, dx.data);
    return undefinedValue(env);
  });
}

// conv2dBackwardFilter(geom, x, dy, dw)
napi_value Conv2dBackwardFilter(napi_env env, napi_callback_info info) {
  return guarded(env, info, 4, [](napi_env env, napi_value* a, size_t) {
    auto g = intsArg(env, a[0], "geometry");
    auto x = f32Arg(env, a[1], "x"), dy = f32Arg(env, a[2], "dy"), dw = f32Arg(env, a[3], "dw");
    need(x, convIn(g), "x");
    need(dy, convOut(g), "dy");
    need(dw, convFilter(g), "dw");
    conv2dBackwardWeights(g, x.data, dy.data, dw.data);
    return undefinedValue(env);
  });
}

// convImpl(geom) -> which oneDNN implementations run this geometry (for diagnostics)
napi_value ConvImpl(napi_env env, napi_callback_info info) {
  return guarded(env, info, 1, [](napi_env env, napi_value* a, size_t) {
    std::string s = convImplInfo(intsArg(env, a[0], "geometry"));
    napi_value out;
    napi_create_string_utf8(env, s.c_str(), s.size(), &out);
    return out;
  });
}

// matMul(a, b, c, batchA, batchB, m, n, k, transA, transB, bias | null, act, alpha)
napi_value MatMul(napi_env env, napi_callback_info info) {
  return guarded(env, info, 13, [](napi_env env, napi_value* a, size_t) {
    auto A = f32Arg(env, a[0], "a"), B = f32Arg(env, a[1], "b"), C = f32Arg(env, a[2], "c");
    const int64_t batchA = intArg(env, a[3], "batchA"), batchB = intArg(env, a[4], "batchB");
    const int64_t m = intArg(env, a[5], "m"), n = intArg(env, a[6], "n"), k = intArg(env, a[7], "k");
    if (batchA != batchB && batchA != 1 && batchB != 1) throw std::invalid_argument("batch sizes must match or be 1");
    need(A, batchA * m * k, "a");
    need(B, batchB * k * n, "b");
    need(C, std::max(batchA, batchB) * m * n, "c");
    auto bias = f32ArgOrNull(env, a[10], "bias");
    if (bias.data && bias.length != 1 && static_cast<int64_t>(bias.length) != n) throw std::invalid_argument("bias must have 1 or n elements");
    batchMatMul(batchA, batchB, m, n, k, boolArg(env, a[8]), boolArg(env, a[9]), A.data, B.data, C.data, bias.data,
                static_cast<int64_t>(bias.length), static_cast<int>(intArg(env, a[11], "activation")),
                static_cast<float>(numberArg(env, a[12], "alpha")));
    return undefinedValue(env);
  });
}

// pool geometry [N, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL]
// maxPool(geom, x, y)
napi_value MaxPool(napi_env env, napi_callback_info info) {
  return guarded(env, info, 3, [](napi_env env, napi_value* a, size_t) {
    auto g = intsArg(env, a[0], "geometry");
    auto x = f32Arg(env, a[1], "x"), y = f32Arg(env, a[2], "y");
    need(x, g.at(0) * g.at(1) * g.at(2) * g.at(3), "x");
    need(y, g.at(0) * g.at(4) * g.at(5) * g.at(3), "y");
    maxPoolForward(g, x.data, y.data);
    return undefinedValue(env);
  });
}

// maxPoolGrad(geom, x, dy, dx)
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  return guarded(env, info, 4, [](napi_env env, napi_value* a, size_t) {
    auto g = intsArg(env, a[0], "geometry");
    auto x = f32Arg(env, a[1], "x"), dy = f32Arg(env, a[2], "dy"), dx = f32Arg(env, a[3], "dx");
    need(x, g.at(0) * g.at(1) * g.at(2) * g.at(3), "x");
    need(dx, g.at(0) * g.at(1) * g.at(2) * g.at(3), "dx");
    need(dy, g.at(0) * g.at(4) * g.at(5) * g.at(3), "dy");
    maxPoolBackward(g, x.data, dy.data, dx.data);
    return undefinedValue(env);
  });
}

int64_t sizeOf(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

// binary(op, a, aShape, b, bShape, out, outShape)
napi_value Binary(napi_env env, napi_callback_info info) {
  return guarded(env, info, 7, [](napi_env env, napi_value* a, size_t) {
    const int op = static_cast<int>(intArg(env, a[0], "op"));
    auto A = f32Arg(env, a[1], "a"), B = f32Arg(env, a[3], "b"), out = f32Arg(env, a[5], "out");
    auto as = intsArg(env, a[2], "aShape"), bs = intsArg(env, a[4], "bShape"), os = intsArg(env, a[6], "outShape");
    if (as.size() > os.size() || bs.size() > os.size()) throw std::invalid_argument("operand rank exceeds the output rank");
    for (size_t k = 0; k < os.size(); k++) {
      const int64_t o = os[os.size() - 1 - k];
      const int64_t da = k < as.size() ? as[as.size() - 1 - k] : 1, db = k < bs.size() ? bs[bs.size() - 1 - k] : 1;
      if ((da != o && da != 1) || (db != o && db != 1)) throw std::invalid_argument("shapes do not broadcast to the output shape");
    }
    need(A, sizeOf(as), "a");
    need(B, sizeOf(bs), "b");
    need(out, sizeOf(os), "out");
    binaryOp(op, A.data, as, B.data, bs, out.data, os);
    return undefinedValue(env);
  });
}

// compare(op, a, aShape, b, bShape, out: Uint8Array, outShape)
napi_value Compare(napi_env env, napi_callback_info info) {
  return guarded(env, info, 7, [](napi_env env, napi_value* a, size_t) {
    const int op = static_cast<int>(intArg(env, a[0], "op"));
    auto A = f32Arg(env, a[1], "a"), B = f32Arg(env, a[3], "b");
    auto as = intsArg(env, a[2], "aShape"), bs = intsArg(env, a[4], "bShape"), os = intsArg(env, a[6], "outShape");
    bool isTyped = false;
    napi_is_typedarray(env, a[5], &isTyped);
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    if (!isTyped || napi_get_typedarray_info(env, a[5], &type, &length, &data, nullptr, nullptr) != napi_ok || type != napi_uint8_array) {
      throw std::invalid_argument("out must be a Uint8Array");
    }
    if (as.size() > os.size() || bs.size() > os.size()) throw std::invalid_argument("operand rank exceeds the output rank");
    for (size_t k = 0; k < os.size(); k++) {
      const int64_t o = os[os.size() - 1 - k];
      const int64_t da = k < as.size() ? as[as.size() - 1 - k] : 1, db = k < bs.size() ? bs[bs.size() - 1 - k] : 1;
      if ((da != o && da != 1) || (db != o && db != 1)) throw std::invalid_argument("shapes do not broadcast to the output shape");
    }
    need(A, sizeOf(as), "a");
    need(B, sizeOf(bs), "b");
    if (static_cast<int64_t>(length) < sizeOf(os)) throw std::invalid_argument("out is too small");
    compareOp(op, A.data, as, B.data, bs, static_cast<uint8_t*>(data), os);
    return undefinedValue(env);
  });
}

// unary(op, x, y, alpha)
napi_value Unary(napi_env env, napi_callback_info info) {
  return guarded(env, info, 4, [](napi_env env, napi_value* a, size_t) {
    auto x = f32Arg(env, a[1], "x"), y = f32Arg(env, a[2], "y");
    need(y, static_cast<int64_t>(x.length), "y");
    unaryOp(static_cast<int>(intArg(env, a[0], "op")), x.data, y.data, x.length, static_cast<float>(numberArg(env, a[3], "alpha")));
    return undefinedValue(env);
  });
}

// gradOp(op, dy, a, b | null, out): every array has dy's length; b only for squared difference
napi_value GradOp(napi_env env, napi_callback_info info) {
  return guarded(env, info, 5, [](napi_env env, napi_value* a, size_t) {
    const int op = static_cast<int>(intArg(env, a[0], "op"));
    auto dy = f32Arg(env, a[1], "dy"), x = f32Arg(env, a[2], "a"), y = f32ArgOrNull(env, a[3], "b"), out = f32Arg(env, a[4], "out");
    const int64_t n = static_cast<int64_t>(dy.length);
    need(x, n, "a");
    need(out, n, "out");
    if (op == kGSquaredDifference) need(y, n, "b");
    gradOp(op, dy.data, x.data, y.data, out.data, static_cast<size_t>(n));
    return undefinedValue(env);
  });
}

// batchNorm(x, out, mul, sub, add): Float64Arrays of one value per channel (the last axis)
napi_value BatchNorm(napi_env env, napi_callback_info info) {
  return guarded(env, info, 5, [](napi_env env, napi_value* a, size_t) {
    auto x = f32Arg(env, a[0], "x"), out = f32Arg(env, a[1], "out");
    const double* params[3] = {nullptr, nullptr, nullptr};
    size_t channels = 0;
    for (int i = 0; i < 3; i++) {
      bool isTyped = false;
      napi_typedarray_type type;
      size_t length = 0;
      void* data = nullptr;
      napi_is_typedarray(env, a[2 + i], &isTyped);
      if (!isTyped || napi_get_typedarray_info(env, a[2 + i], &type, &length, &data, nullptr, nullptr) != napi_ok ||
          type != napi_float64_array) {
        throw std::invalid_argument("batchNorm parameters must be Float64Arrays");
      }
      if (i > 0 && length != channels) throw std::invalid_argument("batchNorm parameters must have one value per channel");
      channels = length;
      params[i] = static_cast<const double*>(data);
    }
    if (channels == 0 || x.length % channels != 0) throw std::invalid_argument("x's size is not a multiple of the channel count");
    need(out, static_cast<int64_t>(x.length), "out");
    batchNormApply(x.data, out.data, x.length / channels, channels, params[0], params[1], params[2]);
    return undefinedValue(env);
  });
}

// reduceSum(x, out, outer, reduced, inner, scale)
napi_value ReduceSum(napi_env env, napi_callback_info info) {
  return guarded(env, info, 6, [](napi_env env, napi_value* a, size_t) {
    auto x = f32Arg(env, a[0], "x"), out = f32Arg(env, a[1], "out");
    const int64_t outer = intArg(env, a[2], "outer"), reduced = intArg(env, a[3], "reduced"), inner = intArg(env, a[4], "inner");
    need(x, outer * reduced * inner, "x");
    need(out, outer * inner, "out");
    reduceSum(x.data, out.data, outer, reduced, inner, static_cast<float>(numberArg(env, a[5], "scale")));
    return undefinedValue(env);
  });
}

// transpose(x, shape, perm, out)
napi_value Transpose(napi_env env, napi_callback_info info) {
  return guarded(env, info, 4, [](napi_env env, napi_value* a, size_t) {
    auto x = f32Arg(env, a[0], "x"), out = f32Arg(env, a[3], "out");
    auto shape = intsArg(env, a[1], "shape"), perm = intsArg(env, a[2], "perm");
    need(x, sizeOf(shape), "x");
    need(out, sizeOf(shape), "out");
    transpose(x.data, shape, perm, out.data);
    return undefinedValue(env);
  });
}

// tile(x, shape, reps, out)
napi_value Tile(napi_env env, napi_callback_info info) {
  return guarded(env, info, 4, [](napi_env env, napi_value* a, size_t) {
    auto x = f32Arg(env, a[0], "x"), out = f32Arg(env, a[3], "out");
    auto shape = intsArg(env, a[1], "shape"), reps = intsArg(env, a[2], "reps");
    if (reps.size() != shape.size()) throw std::invalid_argument("reps must have one entry per axis");
    int64_t n = 1;
    for (size_t i = 0; i < shape.size(); i++) {
      if (reps[i] < 0) throw std::invalid_argument("reps must be >= 0");
      n *= shape[i] * reps[i];
    }
    need(x, sizeOf(shape), "x");
    need(out, n, "out");
    tile(x.data, shape, reps, out.data);
    return undefinedValue(env);
  });
}

// setThreads(n): OpenMP (oneDNN and our loops) and OpenBLAS pools
napi_value SetThreads(napi_env env, napi_callback_info info) {
  return guarded(env, info, 1, [](napi_env env, napi_value* a, size_t) {
    const int n = static_cast<int>(intArg(env, a[0], "threads"));
    if (n < 1) throw std::invalid_argument("threads must be >= 1");
    omp_set_num_threads(n);
    openblas_set_num_threads(n);
    return undefinedValue(env);
  });
}

// info() -> { dnnl, openblas, threads }
napi_value Info(napi_env env, napi_callback_info info) {
  return guarded(env, info, 0, [](napi_env env, napi_value*, size_t) {
    napi_value out, v;
    napi_create_object(env, &out);
    const dnnl_version_t* ver = dnnl_version();
    std::string d = std::to_string(ver->major) + "." + std::to_string(ver->minor) + "." + std::to_string(ver->patch);
    napi_create_string_utf8(env, d.c_str(), d.size(), &v);
    napi_set_named_property(env, out, "dnnl", v);
    const char* cfg = openblas_get_config();
    napi_create_string_utf8(env, cfg, NAPI_AUTO_LENGTH, &v);
    napi_set_named_property(env, out, "openblas", v);
    napi_create_int32(env, omp_get_max_threads(), &v);
    napi_set_named_property(env, out, "threads", v);
    return out;
  });
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"conv2dForward", nullptr, Conv2dForward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackwardData", nullptr, Conv2dBackwardData, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackwardFilter", nullptr, Conv2dBackwardFilter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"convImpl", nullptr, ConvImpl, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matMul", nullptr, MatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPool", nullptr, MaxPool, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"compare", nullptr, Compare, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNorm", nullptr, BatchNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gradOp", nullptr, GradOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduceSum", nullptr, ReduceSum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"transpose", nullptr, Transpose, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"tile", nullptr, Tile, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
