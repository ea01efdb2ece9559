// N-API entry points. Every kernel takes Float32Arrays owned by tfjs's cpu-style backend and writes its
// output into a Float32Array the caller allocated: no copies across the boundary. Arguments are
// validated here (sizes against the geometry) so a wrong call throws instead of corrupting memory.
#include <omp.h>
#include <cblas.h>
#include <dnnl.hpp>

#include "common.h"
#include "plan-layout.h"

namespace {

void check(napi_env env, napi_status s, const char* what) {
  if (s != napi_ok) throw std::invalid_argument(std::string("bad argument: ") + what);
}

}  // namespace

namespace {

// napi_get_typedarray_info fails for anything but a typed array, so no separate napi_is_typedarray
template <class T>
T* typedArg(napi_env env, napi_value value, napi_typedarray_type want, size_t* length, const char* what, const char* kind) {
  napi_typedarray_type type;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, value, &type, length, &data, nullptr, nullptr) != napi_ok || type != want) {
    throw std::invalid_argument(std::string(what) + " must be a" + kind);
  }
  return static_cast<T*>(data);
}

}  // namespace

F32View f32Arg(napi_env env, napi_value value, const char* what) {
  size_t length = 0;
  float* data = typedArg<float>(env, value, napi_float32_array, &length, what, " Float32Array");
  return {data, length};
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

void intLists(napi_env env, napi_value value, Ints* lists, size_t count, const char* what) {
  size_t length = 0;
  const int32_t* v = typedArg<const int32_t>(env, value, napi_int32_array, &length, what, "n Int32Array");
  if (length < count) throw std::invalid_argument(std::string(what) + " must start with " + std::to_string(count) + " lengths");
  size_t at = count;
  for (size_t i = 0; i < count; i++) {
    if (v[i] < 0 || static_cast<size_t>(v[i]) > length - at) throw std::invalid_argument(std::string(what) + ": list lengths exceed the array");
    lists[i] = {v + at, static_cast<size_t>(v[i])};
    at += static_cast<size_t>(v[i]);
  }
}

namespace {

// One packed list of `want` entries (conv and pool geometry), copied: their kernels key caches on it.
std::vector<int64_t> geometryArg(napi_env env, napi_value value, size_t want, const char* what) {
  Ints list;
  intLists(env, value, &list, 1, what);
  if (list.size != want) throw std::invalid_argument(std::string(what) + " must have " + std::to_string(want) + " entries");
  return list.vec();
}

}  // namespace

namespace {

// Runs a kernel body, turning C++ exceptions (bad arguments, oneDNN errors) into JS errors.
template <class Body>
napi_value guarded(napi_env env, napi_callback_info info, size_t want, Body body) {
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

// convImpl(geom) -> which oneDNN implementations run this geometry (for diagnostics)
napi_value ConvImpl(napi_env env, napi_callback_info info) {
  return guarded(env, info, 1, [](napi_env env, napi_value* a, size_t) {
    std::string s = convImplInfo(geometryArg(env, a[0], 15, "conv geometry"));
    napi_value out;
    napi_create_string_utf8(env, s.c_str(), s.size(), &out);
    return out;
  });
}

int64_t sizeOf(Ints shape) {
  int64_t n = 1;
  for (size_t i = 0; i < shape.size; i++) n *= shape[i];
  return n;
}

// s = [aShape, bShape, outShape]: both operands broadcast to the output shape (right-aligned numpy rules)
void checkBroadcast(const Ints* s) {
  const Ints &as = s[0], &bs = s[1], &os = s[2];
  if (as.size > os.size || bs.size > os.size) throw std::invalid_argument("operand rank exceeds the output rank");
  for (size_t k = 0; k < os.size; k++) {
    const int64_t o = os[os.size - 1 - k];
    const int64_t da = k < as.size ? as[as.size - 1 - k] : 1, db = k < bs.size ? bs[bs.size - 1 - k] : 1;
    if (o < 0 || (da != o && da != 1) || (db != o && db != 1)) throw std::invalid_argument("shapes do not broadcast to the output shape");
  }
}

// binary(op, a, b, out, shapes = packed [aShape, bShape, outShape])
napi_value Binary(napi_env env, napi_callback_info info) {
  return guarded(env, info, 5, [](napi_env env, napi_value* a, size_t) {
    const int op = static_cast<int>(intArg(env, a[0], "op"));
    auto A = f32Arg(env, a[1], "a"), B = f32Arg(env, a[2], "b"), out = f32Arg(env, a[3], "out");
    Ints s[3];
    intLists(env, a[4], s, 3, "shapes");
    checkBroadcast(s);
    need(A, sizeOf(s[0]), "a");
    need(B, sizeOf(s[1]), "b");
    need(out, sizeOf(s[2]), "out");
    binaryOp(op, A.data, s[0], B.data, s[1], out.data, s[2]);
    return undefinedValue(env);
  });
}

// compare(op, a, b, out: Uint8Array, shapes = packed [aShape, bShape, outShape])
napi_value Compare(napi_env env, napi_callback_info info) {
  return guarded(env, info, 5, [](napi_env env, napi_value* a, size_t) {
    const int op = static_cast<int>(intArg(env, a[0], "op"));
    auto A = f32Arg(env, a[1], "a"), B = f32Arg(env, a[2], "b");
    size_t length = 0;
    uint8_t* out = typedArg<uint8_t>(env, a[3], napi_uint8_array, &length, "out", " Uint8Array");
    Ints s[3];
    intLists(env, a[4], s, 3, "shapes");
    checkBroadcast(s);
    need(A, sizeOf(s[0]), "a");
    need(B, sizeOf(s[1]), "b");
    if (static_cast<int64_t>(length) < sizeOf(s[2])) throw std::invalid_argument("out is too small");
    compareOp(op, A.data, s[0], B.data, s[1], out, s[2]);
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

// transpose(x, out, dims = packed [shape, perm])
napi_value Transpose(napi_env env, napi_callback_info info) {
  return guarded(env, info, 3, [](napi_env env, napi_value* a, size_t) {
    auto x = f32Arg(env, a[0], "x"), out = f32Arg(env, a[1], "out");
    Ints d[2];
    intLists(env, a[2], d, 2, "dims");
    for (size_t i = 0; i < d[0].size; i++) {
      if (d[0][i] < 0) throw std::invalid_argument("shape entries must be >= 0");
    }
    need(x, sizeOf(d[0]), "x");
    need(out, sizeOf(d[0]), "out");
    transpose(x.data, d[0], d[1], out.data);
    return undefinedValue(env);
  });
}

// tile(x, out, dims = packed [shape, reps])
napi_value Tile(napi_env env, napi_callback_info info) {
  return guarded(env, info, 3, [](napi_env env, napi_value* a, size_t) {
    auto x = f32Arg(env, a[0], "x"), out = f32Arg(env, a[1], "out");
    Ints d[2];
    intLists(env, a[2], d, 2, "dims");
    const Ints &shape = d[0], &reps = d[1];
    if (reps.size != shape.size) throw std::invalid_argument("reps must have one entry per axis");
    int64_t n = 1;
    for (size_t i = 0; i < shape.size; i++) {
      if (reps[i] < 0 || shape[i] < 0) throw std::invalid_argument("shape and reps must be >= 0");
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
    napi_create_string_utf8(env, gemmLibrary(), NAPI_AUTO_LENGTH, &v);
    napi_set_named_property(env, out, "gemm", v);
    return out;
  });
}

// runPlan(code: Int32Array, slots: Int32Array, buffers: TypedArray[]): a compiled step (plan.cc)
napi_value RunPlan(napi_env env, napi_callback_info info) {
  return guarded(env, info, 3, [](napi_env env, napi_value* a, size_t) {
    Ints code, slots;
    code.data = typedArg<const int32_t>(env, a[0], napi_int32_array, &code.size, "code", "n Int32Array");
    slots.data = typedArg<const int32_t>(env, a[1], napi_int32_array, &slots.size, "slots", "n Int32Array");
    if (slots.size % 3 != 0) throw std::invalid_argument("slots must hold [buffer, byteOffset, bytes] triples");
    bool isArray = false;
    if (napi_is_array(env, a[2], &isArray) != napi_ok || !isArray) throw std::invalid_argument("buffers must be an array of typed arrays");
    uint32_t count = 0;
    napi_get_array_length(env, a[2], &count);
    std::vector<char*> ptrs(count, nullptr);
    std::vector<int64_t> bytes(count, 0);
    for (uint32_t i = 0; i < count; i++) {
      napi_value v;
      napi_get_element(env, a[2], i, &v);
      napi_typedarray_type type;
      size_t length = 0;
      void* data = nullptr;
      if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok) {
        throw std::invalid_argument("buffer " + std::to_string(i) + " must be a typed array");
      }
      const int64_t size = type == napi_float32_array || type == napi_int32_array ? 4 : type == napi_uint8_array ? 1 : 0;
      if (size == 0) throw std::invalid_argument("buffer " + std::to_string(i) + " must be a Float32Array, Int32Array or Uint8Array");
      ptrs[i] = static_cast<char*>(data);
      bytes[i] = static_cast<int64_t>(length) * size;
    }
    runPlanChecked(code.data, code.size, slots.data, slots.size / 3, ptrs.data(), bytes.data(), count);
    return undefinedValue(env);
  });
}

// planLayout() -> [{ name, fields }] in op-code order: the JS side checks its copy against it at load
napi_value PlanLayout(napi_env env, napi_callback_info info) {
  return guarded(env, info, 0, [](napi_env env, napi_value*, size_t) {
    napi_value out;
    napi_create_array_with_length(env, kPlanOpCount, &out);
    for (int i = 0; i < kPlanOpCount; i++) {
      napi_value op, v;
      napi_create_object(env, &op);
      napi_create_string_utf8(env, kPlanOps[i].name, NAPI_AUTO_LENGTH, &v);
      napi_set_named_property(env, op, "name", v);
      napi_create_string_utf8(env, kPlanOps[i].fields, NAPI_AUTO_LENGTH, &v);
      napi_set_named_property(env, op, "fields", v);
      napi_set_element(env, out, static_cast<uint32_t>(i), op);
    }
    return out;
  });
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"convImpl", nullptr, ConvImpl, nullptr, nullptr, nullptr, napi_default, nullptr},
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
      {"runPlan", nullptr, RunPlan, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"planLayout", nullptr, PlanLayout, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  // the calling convention (ADDON_ABI in index.ts): 2 = shapes and geometry packed into one Int32Array, 3 = runPlan,
  // 4 = convolutions, matMul and max pool only through runPlan (their positional entry points are gone)
  napi_value abi;
  napi_create_int32(env, 4, &abi);
  napi_set_named_property(env, exports, "abi", abi);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
