// Vector expf/expm1f/tanhf from glibc's libmvec (part of libc6 on x86-64; libm.so links it as needed).
// glibc's <math.h> declares their SIMD variants only under -ffast-math, which would also let g++ reorder
// every other float operation in the addon. Declaring them ourselves lets a `#pragma omp simd` loop call
// _ZGVdN8v_tanhf and friends while the rest keeps IEEE semantics. NaN, +-Inf, overflow and underflow
// come out as the scalar functions' (checked by packages/backends/src/native/transcendental.test.ts).
// Largest error measured over every float against double precision: tanhf 1.03 ulp, expf 2.64 ulp,
// expm1f 1.68 ulp (its logf, 3.94 ulp, is not used: Log stays scalar). Without libmvec (another libc or
// architecture) the same loops call the scalar functions.
#pragma once
#include <cmath>

#if defined(__x86_64__) && defined(__GLIBC__) && defined(_OPENMP)
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 22)
extern "C" {
#pragma omp declare simd notinbranch
float expf(float) noexcept;
}
#endif
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35)
extern "C" {
#pragma omp declare simd notinbranch
float expm1f(float) noexcept;
#pragma omp declare simd notinbranch
float tanhf(float) noexcept;
}
#endif
#endif
