// N-API entry points. Every kernel is an instruction in its plan-layout.h layout, run alone (runOp) or in a
// compiled step (runPlan), over typed arrays owned by tfjs's cpu-style backend, outputs included: no copies across
// the boundary. Every instruction is checked (sizes, slot types) before it runs, so a wrong call throws instead of
// corrupting memory.
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

int64_t intArg(napi_env env, napi_value value, const char* what) {
  int64_t v = 0;
  check(env, napi_get_value_int64(env, value, &v), what);
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
constexpr size_t kMaxArgs = 16;

template <class Body>
napi_value guarded(napi_env env, napi_callback_info info, size_t want, Body body) {
  napi_value argv[kMaxArgs];
  size_t argc = kMaxArgs;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  try {
    // napi_get_cb_info reports every argument passed but fills only kMaxArgs: more would be read past argv
    if (argc > kMaxArgs) throw std::invalid_argument("expected at most " + std::to_string(kMaxArgs) + " arguments, got " + std::to_string(argc));
    if (argc < want) throw std::invalid_argument("expected " + std::to_string(want) + " arguments, got " + std::to_string(argc));
    return body(env, argv, argc);
  } catch (const dnnl::error& e) {
    napi_throw_error(env, "LOGITLAB_NATIVE_DNNL", (std::string("oneDNN: ") + e.what()).c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, "LOGITLAB_NATIVE_ARG", e.what());
  }
  return nullptr;
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

// A typed array's data, byte length and element type (plan-types.cc's names); null and undefined are absent buffers.
struct Buffer {
  char* data = nullptr;
  int64_t bytes = 0;
  const char* type = nullptr;
};

// The message is built only on failure: a std::string per argument was a tenth of a 64-float add's call.
Buffer bufferArg(napi_env env, napi_value value, size_t index) {
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr) != napi_ok) {
    napi_valuetype t = napi_undefined;
    napi_typeof(env, value, &t);
    if (t == napi_null || t == napi_undefined) return {};
    throw std::invalid_argument("buffer " + std::to_string(index) + " must be a typed array or null");
  }
  const auto n = static_cast<int64_t>(length);
  switch (type) {
    case napi_float32_array: return {static_cast<char*>(data), 4 * n, "f32"};
    case napi_int32_array: return {static_cast<char*>(data), 4 * n, "i32"};
    case napi_uint8_array: return {static_cast<char*>(data), n, "u8"};
    case napi_float64_array: return {static_cast<char*>(data), 8 * n, "f64"};
    default: throw std::invalid_argument("buffer " + std::to_string(index) + " must be a Float32Array, Int32Array, Uint8Array or Float64Array");
  }
}

// runOp(code: Int32Array, ...buffers): one instruction in its PLAN_OPS layout, whose slot fields index the buffers
// passed after it. The eager kernels' entry: a one-op runPlan cost three times a 256-float add in building and
// reading its slot table and buffer array (README), so the buffers come as plain arguments and each is its own slot.
napi_value RunOp(napi_env env, napi_callback_info info) {
  return guarded(env, info, 1, [](napi_env env, napi_value* a, size_t argc) {
    Ints code;
    code.data = typedArg<const int32_t>(env, a[0], napi_int32_array, &code.size, "code", "n Int32Array");
    char* ptrs[kMaxArgs];
    int64_t bytes[kMaxArgs];
    const char* types[kMaxArgs];
    for (size_t i = 1; i < argc; i++) {
      const Buffer b = bufferArg(env, a[i], i - 1);
      ptrs[i - 1] = b.data;
      bytes[i - 1] = b.bytes;
      types[i - 1] = b.type;
    }
    runOpChecked(code.data, code.size, ptrs, bytes, types, argc - 1);
    return undefinedValue(env);
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
      const int64_t size = type == napi_float32_array || type == napi_int32_array ? 4 : type == napi_uint8_array ? 1 : type == napi_float64_array ? 8 : 0;
      if (size == 0) throw std::invalid_argument("buffer " + std::to_string(i) + " must be a Float32Array, Int32Array, Uint8Array or Float64Array");
      ptrs[i] = static_cast<char*>(data);
      bytes[i] = static_cast<int64_t>(length) * size;
    }
    runPlanChecked(code.data, code.size, slots.data, slots.size / 3, ptrs.data(), bytes.data(), count);
    return undefinedValue(env);
  });
}

// planLayout() -> [{ name, fields, types }] in op-code order: the JS side checks its copy against it at load
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
      napi_create_string_utf8(env, kPlanOps[i].types ? kPlanOps[i].types : "", NAPI_AUTO_LENGTH, &v);
      napi_set_named_property(env, op, "types", v);
      napi_set_element(env, out, static_cast<uint32_t>(i), op);
    }
    return out;
  });
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"convImpl", nullptr, ConvImpl, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"runOp", nullptr, RunOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"runPlan", nullptr, RunPlan, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"planLayout", nullptr, PlanLayout, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  // the calling convention (ADDON_ABI in index.ts): 2 = shapes and geometry packed into one Int32Array, 3 = runPlan,
  // 4 = convolutions, matMul and max pool only through runPlan (their positional entry points are gone),
  // 5 = runOp for every eager kernel, the elementwise ones and batchNorm included (no positional entry points at all)
  napi_value abi;
  napi_create_int32(env, 5, &abi);
  napi_set_named_property(env, exports, "abi", abi);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
