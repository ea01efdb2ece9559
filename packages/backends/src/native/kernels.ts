// Native kernels for the 'native' backend (see register.ts). Inputs are read straight from the cpu-style
// backend's Float32Arrays and outputs written into fresh ones the backend then owns: no copies. Each call is a
// one-instruction plan (run-op.ts) in the PLAN_OPS layout the compiled step's lowering also uses; slot fields
// index the arrays passed with it. Anything
// outside what the addon does (other dtypes, NCHW, PReLU, odd broadcasts) goes to the cpu kernel.
import { backend_util, util } from '@tensorflow/tfjs-core';
import { type Fallback, type Kernel, NOT_NATIVE, f32, output, withFallback } from './kernel-util';
import { convGeom, floatBits, poolGeom } from './geometry';
import { oneOpRunner } from './run-op';
import type { NativeAddon } from './types';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;
type Pair = number | [number, number];

/** The conv instructions' geometry; NCHW goes to the cpu kernel. */
function nhwcGeom(c: backend_util.Conv2DInfo): number[] {
  if (c.dataFormat !== 'channelsLast') throw NOT_NATIVE;
  return convGeom(c);
}

type Shape4 = [number, number, number, number];
// a type literal, not an interface: attrs (a NamedAttrMap) casts to it as to the inline types before
type BackpropAttrs = {
  strides: Pair;
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: Rounding;
};

/** The conv geometry both backprop kernels rebuild from their attrs (dilation 1, as tfjs's). */
function backpropConvInfo(xShape: Shape4, filterShape: Shape4, a: BackpropAttrs): backend_util.Conv2DInfo {
  const format = backend_util.convertConv2DDataFormat(a.dataFormat ?? 'NHWC');
  return backend_util.computeConv2DInfo(xShape, filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, format);
}

function activationCode(codes: Record<string, number>, activation: unknown): number {
  const code = codes[typeof activation === 'string' ? activation : 'linear'];
  if (code === undefined) throw NOT_NATIVE; // prelu, or a future activation: the cpu kernel applies it
  return code;
}

/** The native kernel factories, each given the cpu kernel it replaces. */
export function nativeKernels(addon: NativeAddon, codes: Record<string, number>): Record<string, (fallback: Fallback) => Kernel> {
  const run = oneOpRunner(addon);
  const conv2d = (fused: boolean) => (fallback: Fallback) =>
    withFallback(fallback, fused ? 'FusedConv2D' : 'Conv2D', ({ inputs, backend, attrs }) => {
      const { x, filter, bias, preluActivationWeights } = inputs;
      const a = attrs as {
        strides: Pair;
        pad: Pad;
        dataFormat: 'NHWC' | 'NCHW';
        dilations: Pair;
        dimRoundingMode?: Rounding;
        activation?: string;
        leakyreluAlpha?: number;
      };
      if (preluActivationWeights) throw NOT_NATIVE;
      const c = backend_util.computeConv2DInfo(
        x!.shape as [number, number, number, number],
        filter!.shape as [number, number, number, number],
        a.strides,
        a.dilations ?? 1,
        a.pad,
        a.dimRoundingMode,
        false,
        backend_util.convertConv2DDataFormat(a.dataFormat ?? 'NHWC'),
      );
      const geom = nhwcGeom(c);
      const b = bias ? f32(backend, bias) : null;
      if (b && b.length !== c.outChannels) throw NOT_NATIVE;
      const act = fused ? activationCode(codes, a.activation) : 0;
      const xv = f32(backend, x);
      const wv = f32(backend, filter);
      const alpha = floatBits(a.leakyreluAlpha ?? 0.2);
      return output(backend, [...c.outShape], (y) =>
        b
          ? run('conv2d', [0, 1, 2, 3, act, alpha, ...geom], [xv, wv, b, y])
          : run('conv2d', [0, 1, -1, 2, act, alpha, ...geom], [xv, wv, y]),
      );
    });

  const matMul = (fused: boolean) => (fallback: Fallback) =>
    withFallback(fallback, fused ? '_FusedMatMul' : 'BatchMatMul', ({ inputs, backend, attrs }) => {
      const { a, b, bias, preluActivationWeights } = inputs;
      const at = attrs as { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
      if (preluActivationWeights) throw NOT_NATIVE;
      const ra = a!.shape.length;
      const rb = b!.shape.length;
      const m = at.transposeA ? a!.shape[ra - 1]! : a!.shape[ra - 2]!;
      const k = at.transposeA ? a!.shape[ra - 2]! : a!.shape[ra - 1]!;
      const n = at.transposeB ? b!.shape[rb - 2]! : b!.shape[rb - 1]!;
      const kb = at.transposeB ? b!.shape[rb - 1]! : b!.shape[rb - 2]!;
      if (k !== kb) throw NOT_NATIVE; // the cpu kernel raises tfjs's error
      const outerA = a!.shape.slice(0, -2);
      const outerB = b!.shape.slice(0, -2);
      const batchA = util.sizeFromShape(outerA);
      const batchB = util.sizeFromShape(outerB);
      // same batch shape, or one side a single matrix broadcast over the other's batch
      if (!(util.arraysEqual(outerA, outerB) || batchA === 1 || batchB === 1)) throw NOT_NATIVE;
      const outer = batchA >= batchB ? outerA : outerB;
      const bv = bias ? f32(backend, bias) : null;
      if (bv && !(bv.length === 1 || (bv.length === n && bias!.shape.at(-1) === n))) throw NOT_NATIVE;
      const act = fused ? activationCode(codes, at.activation) : 0;
      const av = f32(backend, a);
      const bm = f32(backend, b);
      const tail = [batchA, batchB, m, n, k, at.transposeA ? 1 : 0, at.transposeB ? 1 : 0, act, floatBits(at.leakyreluAlpha ?? 0.2)];
      return output(backend, [...outer, m, n], (c) =>
        bv ? run('matMul', [0, 1, 2, 3, bv.length, ...tail], [av, bm, c, bv]) : run('matMul', [0, 1, 2, -1, 0, ...tail], [av, bm, c]),
      );
    });

  return {
    Conv2D: conv2d(false),
    FusedConv2D: conv2d(true),
    BatchMatMul: matMul(false),
    _FusedMatMul: matMul(true),

    Conv2DBackpropInput: (fallback) =>
      withFallback(fallback, 'Conv2DBackpropInput', ({ inputs, backend, attrs }) => {
        const { dy, filter } = inputs;
        const a = attrs as BackpropAttrs & { inputShape: Shape4 };
        const geom = nhwcGeom(backpropConvInfo(a.inputShape, filter!.shape as Shape4, a));
        const dyv = f32(backend, dy);
        const wv = f32(backend, filter);
        return output(backend, [...a.inputShape], (dx) => run('conv2dBackwardData', [0, 1, 2, ...geom], [dyv, wv, dx]));
      }),

    Conv2DBackpropFilter: (fallback) =>
      withFallback(fallback, 'Conv2DBackpropFilter', ({ inputs, backend, attrs }) => {
        const { x, dy } = inputs;
        const a = attrs as BackpropAttrs & { filterShape: Shape4 };
        const geom = nhwcGeom(backpropConvInfo(x!.shape as Shape4, a.filterShape, a));
        const xv = f32(backend, x);
        const dyv = f32(backend, dy);
        return output(backend, [...a.filterShape], (dw) => run('conv2dBackwardFilter', [0, 1, 2, ...geom], [xv, dyv, dw]));
      }),

    MaxPool: (fallback) =>
      withFallback(fallback, 'MaxPool', ({ inputs, backend, attrs }) => {
        const a = attrs as { filterSize: Pair; strides: Pair; pad: Pad; dimRoundingMode?: Rounding };
        const x = inputs.x!;
        const c = backend_util.computePool2DInfo(
          x.shape as [number, number, number, number],
          a.filterSize,
          a.strides,
          1,
          a.pad,
          a.dimRoundingMode,
        );
        const geom = poolGeom(c);
        const xv = f32(backend, x);
        return output(backend, [...c.outShape], (y) => run('maxPool', [0, 1, ...geom], [xv, y]));
      }),

    MaxPoolGrad: (fallback) =>
      withFallback(fallback, 'MaxPoolGrad', ({ inputs, backend, attrs }) => {
        const a = attrs as { filterSize: Pair; strides: Pair; pad: Pad; dimRoundingMode?: Rounding };
        const { dy, input } = inputs;
        const c = backend_util.computePool2DInfo(
          input!.shape as [number, number, number, number],
          a.filterSize,
          a.strides,
          1,
          a.pad,
          a.dimRoundingMode,
        );
        const geom = poolGeom(c);
        const xv = f32(backend, input);
        const dyv = f32(backend, dy);
        return output(backend, [...input!.shape], (dx) => run('maxPoolGrad', [0, 1, 2, ...geom], [xv, dyv, dx]));
      }),
  };
}
