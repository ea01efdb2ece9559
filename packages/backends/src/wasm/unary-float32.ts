// The shape shared by our elementwise float32 kernels (Exp, Tanh): float32 input goes through a JS loop
// over the wasm heap, any other dtype to the stock kernel (rare in training, and its output dtype rules
// differ per kernel: Exp of int32 is float32, Tanh of int32 stays int32).
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './kernel-util';

/** Writes f(x) elementwise into out; out has x's length. */
export type Float32Map = (x: Float32Array, out: Float32Array) => void;

export function float32Unary(map: Float32Map) {
  return (stock: KernelFunc) =>
    function unary(args: KernelArgs): TensorInfo {
      const { inputs, backend } = args;
      const x = inputs.x!;
      if (x.dtype !== 'float32') return stock(args as never) as TensorInfo;
      const out = backend.makeOutput([...x.shape], 'float32');
      // views after makeOutput: it may grow the heap, which detaches earlier views
      map(backend.typedArrayFromHeap(x) as Float32Array, backend.typedArrayFromHeap(out) as Float32Array);
      return out;
    };
}
