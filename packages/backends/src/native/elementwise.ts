// Native elementwise and reduction kernels: tfjs-backend-cpu's generic broadcasting loops (an index
// computation per element) and its Sum (a transpose first) dominated a training step once the
// convolutions and matmuls were native. Each is a runOp instruction (run-op.ts); inputs of another dtype than
// the instruction declares go to the cpu kernel before calling, and so do the shapes it has no layout for.
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import { type Args, type Fallback, type Kernel, NOT_NATIVE, f32, output, withFallback } from './kernel-util';
import { alignedShapes, floatBits } from './geometry';
import { inputDtypes, oneOpRunner } from './run-op';
import type { NativeAddon } from './types';

/** A binary op's float32 operands, their broadcast shape, and binary/compare's `rank,shapes...` tail. */
function operands(backend: Args['backend'], inputs: Args['inputs']) {
  const { a, b } = inputs;
  const av = f32(backend, a);
  const bv = f32(backend, b);
  const shape = backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
  return { av, bv, shape, shapes: alignedShapes(a!.shape, b!.shape, shape) };
}

export function elementwiseKernels(
  addon: NativeAddon,
  binary: Record<string, number>,
  unary: Record<string, number>,
  compare: Record<string, number> = {},
): Record<string, (fallback: Fallback) => Kernel> {
  const out: Record<string, (fallback: Fallback) => Kernel> = {};
  const run = oneOpRunner(addon);
  const declared = inputDtypes(addon);
  // comparisons (dropout masks): bool outputs, stored as bytes like tfjs-cpu's
  for (const [name, code] of Object.entries(compare)) {
    out[name] = (fallback) =>
      withFallback(
        fallback,
        name,
        ({ inputs, backend }: Args): TensorInfo => {
          const { av, bv, shape, shapes } = operands(backend, inputs);
          // off-heap even when tiny (see ints.ts)
          const o = new Uint8Array(new ArrayBuffer(util.sizeFromShape(shape)));
          run('compare', [code, 0, 1, 2, ...shapes], [av, bv, o]);
          return backend.makeTensorInfo(shape, 'bool', o);
        },
        declared.compare,
      );
  }
  for (const [name, code] of Object.entries(binary)) {
    out[name] = (fallback) =>
      withFallback(
        fallback,
        name,
        ({ inputs, backend }: Args): TensorInfo => {
          const { av, bv, shape, shapes } = operands(backend, inputs);
          return output(backend, shape, (o) => run('binary', [code, 0, 1, 2, ...shapes], [av, bv, o]));
        },
        declared.binary,
      );
  }
  for (const [name, code] of Object.entries(unary)) {
    out[name] = (fallback) =>
      withFallback(
        fallback,
        name,
        ({ inputs, backend, attrs }: Args): TensorInfo => {
          const x = inputs.x!;
          const xv = f32(backend, x);
          const alpha = name === 'Step' ? ((attrs as { alpha?: number } | undefined)?.alpha ?? 0) : 0;
          return output(backend, [...x.shape], (y) => run('unary', [code, 0, 1, xv.length, floatBits(alpha)], [xv, y]));
        },
        declared.unary,
      );
  }
  const reduce = (name: 'Sum' | 'Mean') => (fallback: Fallback) =>
    withFallback(
      fallback,
      name,
      ({ inputs, backend, attrs }: Args): TensorInfo => {
        const x = inputs.x!;
        const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
        // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
        const axes = [...util.parseAxisParam(axis, x.shape)].sort((p, q) => p - q);
        // one contiguous block of axes: [outer, reduced, inner]; anything else goes to the cpu kernel
        if (axes.length === 0 || axes.some((ax, i) => i > 0 && ax !== axes[i - 1]! + 1)) throw NOT_NATIVE;
        const xv = f32(backend, x);
        const first = axes[0]!;
        const last = axes.at(-1)!;
        const outer = util.sizeFromShape(x.shape.slice(0, first));
        const reduced = util.sizeFromShape(x.shape.slice(first, last + 1));
        const inner = util.sizeFromShape(x.shape.slice(last + 1));
        const shape = keepDims ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d)) : x.shape.filter((_, i) => i < first || i > last);
        const scale = name === 'Mean' ? 1 / reduced : 1;
        return output(backend, shape, (o) => run('reduceSum', [0, 1, outer, reduced, inner, floatBits(scale)], [xv, o]));
      },
      declared.reduceSum,
    );
  // cpu's Transpose computes a multi-index per element (the convnet's NHWC -> NCHW flatten, ~4 ms a step)
  out.Transpose = (fallback) =>
    withFallback(
      fallback,
      'Transpose',
      ({ inputs, backend, attrs }: Args): TensorInfo => {
        const x = inputs.x!;
        const { perm } = attrs as { perm: number[] };
        const xv = f32(backend, x);
        return output(
          backend,
          perm.map((p) => x.shape[p]!),
          (o) => run('transpose', [0, 1, perm.length, ...x.shape, ...perm], [xv, o]),
        );
      },
      declared.transpose,
    );
  // cpu's Tile builds a multi-index per element too (BatchNorm gradients tile their statistics)
  out.Tile = (fallback) =>
    withFallback(
      fallback,
      'Tile',
      ({ inputs, backend, attrs }: Args): TensorInfo => {
        const x = inputs.x!;
        const { reps } = attrs as { reps: number[] };
        if (reps.length !== x.shape.length) throw NOT_NATIVE;
        const xv = f32(backend, x);
        return output(
          backend,
          x.shape.map((d, i) => d * reps[i]!),
          (o) => run('tile', [0, 1, reps.length, ...x.shape, ...reps], [xv, o]),
        );
      },
      declared.tile,
    );
  // cpu's Cast from bool to float32 shares the Uint8Array storage under a float32 dtype, which
  // every native kernel downstream must refuse (dropout's mask multiply fell back: 0.45 ms vs 0.03 ms native);
  // converting here gives them a Float32Array. Casts to bool are cpu's x !== 0 (NaN -> true) without its
  // generic broadcasting loop. Everything else (complex64, to int32, no-ops) is cpu's.
  out.Cast = (fallback) =>
    withFallback(fallback, 'Cast', ({ inputs, backend, attrs }: Args): TensorInfo => {
      const x = inputs.x!;
      const { dtype } = attrs as { dtype: DataType };
      if (x.dtype === dtype || !(x.dtype === 'bool' || x.dtype === 'int32' || x.dtype === 'float32')) throw NOT_NATIVE;
      const values = backend.data.get(x.dataId).values;
      if (!(values instanceof Uint8Array || values instanceof Int32Array || values instanceof Float32Array)) throw NOT_NATIVE;
      if (dtype === 'float32') {
        // int32 stays cpu's: its shared Int32Array keeps integers above 2 ** 24 exact, which a Float32Array would not
        if (x.dtype !== 'bool') throw NOT_NATIVE;
        return output(backend, [...x.shape], (o) => o.set(values));
      }
      if (dtype !== 'bool') throw NOT_NATIVE;
      const o = new Uint8Array(values.length);
      for (let i = 0; i < values.length; i++) o[i] = values[i] !== 0 ? 1 : 0;
      return backend.makeTensorInfo([...x.shape], 'bool', o);
    });
  out.Sum = reduce('Sum');
  out.Mean = reduce('Mean');
  return out;
}
