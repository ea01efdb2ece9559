// relu and relu6 inside a fused conv2d, depthwise conv2d or matMul keep NaN on the backends whose stock
// fused kernels lost it (wasm: XNNPACK's clamp; webgpu: a select llvmpipe runs as if NaN < 0), as cpu
// and PyTorch do. Native's oneDNN conv applies relu and relu6 in its own NaN-keeping epilogue instead (C++, not
// wrapped here); nonfinite-conv.test.ts adds infinities, 1x1 convs and native.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './index';
import { MissingActivationKernelError, keepNanInFusedActivation } from './fused-activation-nan';
import { onBackend, untestableReason, valuesOf } from '../test/kernel-test-util';

type Backend = 'wasm' | 'webgpu';
const BACKENDS: Backend[] = ['wasm', 'webgpu'];
const skip: Partial<Record<Backend, string>> = {};
for (const b of BACKENDS) skip[b] = await untestableReason(b);

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'leakyrelu', 'elu'] as const;

// values spread over [-8, 8] (below 0 and above 6), one NaN pixel that a 3 x 3 window carries to nine
// outputs and one NaN row of the matMul's left factor
const spread = (n: number, nan: (i: number) => boolean) =>
  Float32Array.from({ length: n }, (_, i) => (nan(i) ? Number.NaN : ((i * 37) % 17) - 8));

function fusedOutputs(): tf.Tensor[] {
  const xNan = tf.tensor4d(
    spread(72, (i) => i === 14),
    [1, 6, 6, 2],
  );
  const filter = tf.randomUniform([3, 3, 2, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
  const depthwise = tf.randomUniform([3, 3, 2, 1], -1, 1, 'float32', 5) as tf.Tensor4D;
  const aNan = tf.tensor2d(
    spread(20, (i) => i >= 15),
    [4, 5],
  );
  const b = tf.randomUniform([5, 3], -1, 1, 'float32', 7) as tf.Tensor2D;
  const bias = tf.tensor1d([0.5, -0.25, 0]);
  return ACTIVATIONS.flatMap((activation) => [
    tf.fused.conv2d({ x: xNan, filter, strides: 1, pad: 'same', bias, activation, leakyreluAlpha: 0.2 }),
    tf.fused.depthwiseConv2d({ x: xNan, filter: depthwise, strides: 1, pad: 'valid', activation, leakyreluAlpha: 0.2 }),
    tf.fused.matMul({ a: aNan, b, bias, activation, leakyreluAlpha: 0.2 }),
  ]);
}

const relu6Values = () => valuesOf(() => [tf.relu6(tf.tensor1d([Number.NaN, -3, -0, 0.5, 6, 7.5]))]);

const asText = (vs: Array<[string, number[]]>) => vs.map(([, v]) => v.map((e) => (Number.isNaN(e) ? 'NaN' : e.toPrecision(5))));

/** `got` equals `want` to float32 summation error, with NaN exactly where `want` has it. */
function expectClose(got: Array<[string, number[]]>, want: Array<[string, number[]]>) {
  expect(got.map(([, v]) => v.map(Number.isNaN))).toEqual(want.map(([, v]) => v.map(Number.isNaN)));
  got.forEach(([, v], i) =>
    v.forEach((e, j) => {
      const w = want[i]![1][j]!;
      if (!Number.isNaN(w)) expect(Math.abs(e - w), `output ${i}[${j}]`).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(w)));
    }),
  );
}

describe.each(BACKENDS)('%s: fused relu and relu6 keep NaN', (backend) => {
  if (skip[backend]) {
    it.skip(`${backend}: ${skip[backend]}`, () => undefined);
    return;
  }

  it('fused conv2d, depthwise conv2d and matMul equal cpu for every activation, NaN included', async () => {
    const want = await onBackend('cpu', () => valuesOf(fusedOutputs));
    // cpu's own answer has NaN where the fused relu must keep it, so the comparison cannot pass with NaN lost on both sides
    const reluRows = want.slice(3, 9).map(([, v]) => v.filter(Number.isNaN).length);
    expect(reluRows.every((n) => n > 0)).toBe(true);
    const tensorsBefore = await onBackend(backend, () => tf.memory().numTensors);
    const dataBefore = tf.engine().backend.numDataIds();
    const got = await onBackend(backend, () => valuesOf(fusedOutputs));
    // the wrapper frees the linear intermediate it makes on the backend
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
    expectClose(got, want);
  });

  it('unfused relu6 keeps NaN and clamps to [0, 6]', async () => {
    const got = await onBackend(backend, relu6Values);
    expect(got[0]![1]).toEqual([Number.NaN, 0, 0, 0.5, 6, 6]);
    expect(asText(got)).toEqual(asText(await onBackend('cpu', relu6Values)));
  });
});

describe('keepNanInFusedActivation', () => {
  it('a second registration leaves the wrapped wasm kernels as they are (no wrapper around a wrapper)', async () => {
    if (skip.wasm) return;
    const kernels = ['FusedConv2D', 'FusedDepthwiseConv2D', '_FusedMatMul', 'Conv2D', 'DepthwiseConv2dNative', 'Relu', 'Relu6'];
    const before = kernels.map((k) => tf.getKernel(k, 'wasm')?.kernelFunc);
    registerWasmTrainingKernels();
    expect(kernels.map((k) => tf.getKernel(k, 'wasm')?.kernelFunc)).toEqual(before);
  });

  it('passes activations other than relu and relu6 to the stock kernel untouched', () => {
    const calls: unknown[] = [];
    const stock = ((args: { attrs: unknown }) => {
      calls.push(args.attrs);
      return { dataId: {}, shape: [1], dtype: 'float32' } as TensorInfo;
    }) as unknown as KernelFunc;
    const f = keepNanInFusedActivation(stock, 'no-such-backend');
    f({ inputs: {}, backend: {} as never, attrs: { activation: 'elu' } });
    expect(calls).toEqual([{ activation: 'elu' }]);
  });

  it('a backend without the unfused kernel is a typed error naming the kernel and the backend', () => {
    const stock = (() => ({ dataId: {}, shape: [1], dtype: 'float32' })) as unknown as KernelFunc;
    const f = keepNanInFusedActivation(stock, 'no-such-backend');
    const call = () => f({ inputs: {}, backend: {} as never, attrs: { activation: 'relu6' } });
    expect(call).toThrow(MissingActivationKernelError);
    expect(call).toThrow(/no-such-backend backend has no 'Relu6' kernel/);
  });
});
