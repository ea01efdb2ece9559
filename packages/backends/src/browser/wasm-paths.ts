// Where a bundled app fetches the wasm binaries. `new URL('<package>/<file>', import.meta.url)` with a
// literal string is the pattern Vite (dev and build) and webpack 5 turn into an emitted asset URL, so
// a Vite app needs no setWasmPaths and no copy step.
import type { WasmBinaryName } from '../types';

export function bundledWasmPaths(): Record<WasmBinaryName, string> {
  return {
    'tfjs-backend-wasm.wasm': new URL('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(
      '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.wasm',
      import.meta.url,
    ).href,
  };
}
