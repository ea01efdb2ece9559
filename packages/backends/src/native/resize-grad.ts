// ResizeNearestNeighborGrad. tfjs-backend-cpu 4.22.0's kernel is wrong for a batch of more than one
// image: the second image's gradient comes out shifted (measured: [2,3,4,1] -> [2,6,8,1], cpu gives
// 20,24,28,19,... where the 2x2 block sums are 27,31,22,26,...; wasm is right). The native backend
// inherited it, so a UNet's layers below each upsampling trained on wrong gradients. This scatters dy
// back through exactly the forward kernel's source-index rule.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type Args, f32, output } from './kernel-util';

type Fallback = ((args: Args) => TensorInfo | TensorInfo[]) | undefined;

/** The forward resize's nearest source index along one axis (tfjs's resizeNearestNeighbor rule). */
function sourceIndex(out: number, oldSize: number, newSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const inSize = alignCorners && newSize > 1 ? oldSize - 1 : oldSize;
  const outSize = alignCorners && newSize > 1 ? newSize - 1 : newSize;
  const frac = (inSize / outSize) * (halfPixelCenters ? out + 0.5 : out);
  const nearest = Math.min(oldSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return halfPixelCenters ? Math.max(0, nearest) : nearest;
}

export function resizeNearestNeighborGrad(fallback: Fallback): (args: Args) => TensorInfo | TensorInfo[] {
  return (args) => {
    const { images, dy } = args.inputs;
    if (!images || !dy || dy.dtype !== 'float32' || images.shape.length !== 4) {
      if (!fallback) throw new Error('native ResizeNearestNeighborGrad: unsupported arguments');
      return fallback(args);
    }
    const { alignCorners = false, halfPixelCenters = false } = (args.attrs ?? {}) as { alignCorners?: boolean; halfPixelCenters?: boolean };
    const [batch, oldH, oldW, channels] = images.shape as [number, number, number, number];
    const [, newH, newW] = dy.shape as [number, number, number, number];
    const g = f32(args.backend, dy);
    const rows = Int32Array.from({ length: newH }, (_, r) => sourceIndex(r, oldH, newH, alignCorners, halfPixelCenters));
    const cols = Int32Array.from({ length: newW }, (_, c) => sourceIndex(c, oldW, newW, alignCorners, halfPixelCenters));
    return output(args.backend, [batch, oldH, oldW, channels], (dx) => {
      dx.fill(0);
      for (let b = 0; b < batch; b++) {
        for (let r = 0; r < newH; r++) {
          const inRow = (b * oldH + rows[r]!) * oldW;
          const dyRow = (b * newH + r) * newW;
          for (let c = 0; c < newW; c++) {
            const from = (dyRow + c) * channels;
            const to = (inRow + cols[c]!) * channels;
            for (let ch = 0; ch < channels; ch++) dx[to + ch]! += g[from + ch]!;
          }
        }
      }
    });
  };
}
