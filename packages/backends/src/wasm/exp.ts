// Exp for wasm: stock 4.22 computes ~7 ns per element (std::exp per value, no SIMD), and every softmax,
// log-softmax gradient and VAE reparameterisation runs it. ./fast-math.ts computes it in float64 from a
// table and a short polynomial; the float32 results match the correctly rounded ones (see its test).
import { expInto } from './fast-math';
import { float32Unary } from './unary-float32';

export const makeExp = float32Unary(expInto);
