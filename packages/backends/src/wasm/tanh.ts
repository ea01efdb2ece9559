// Tanh for wasm: stock 4.22 costs ~17.5 ns per element, 18-30% of the VAE's training step (its decoder
// ends in tanh, and the gradient reads tanh's output). ./fast-math.ts computes it through expm1 in
// float64; the float32 results match the correctly rounded ones (see its test).
import { tanhInto } from './fast-math';
import { float32Unary } from './unary-float32';

export const makeTanh = float32Unary(tanhInto);
