{
  "targets": [
    {
      "target_name": "logitlab_native",
      "sources": ["src/addon.cc", "src/conv.cc", "src/gemm.cc", "src/pool.cc", "src/elementwise.cc", "src/grad.cc", "src/batchnorm.cc", "src/plan.cc", "src/plan-extents.cc", "src/plan-types.cc", "src/plan-fused.cc"],
      "include_dirs": ["/usr/include/x86_64-linux-gnu"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-fopenmp", "-march=native", "-ffp-contract=off", "-fno-math-errno"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl", "-lopenblas"]
    }
  ]
}
