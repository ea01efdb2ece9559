// The eager kernels' one-instruction runOp calls (run-op.ts) against reference loops on odd shapes, and malformed
// calls, which the addon must refuse with a message naming the instruction, the array and the sizes
// (plan-extents.cc), writing nothing; and the declared input dtypes that send other dtypes to the cpu kernel before
// any call. Skips where the addon is not built.
import { describe, expect, it } from 'vitest';
import { type PlanOpName, loadNative } from '@logitlab/native';
import { untestableReason } from '../../test/kernel-test-util';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { floatBits } from './geometry';
import { type Args, withFallback } from './kernel-util';
import { inputDtypes, oneOpRunner } from './run-op';

const skip = await untestableReason('native');
const loaded = loadNative();
const addon = loaded.ok ? loaded.addon : undefined;
const run = addon ? oneOpRunner(addon) : undefined;

const lcg = (n: number, seed = 11) => {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32) * 4 - 2);
};
const close = (got: Float32Array, want: Float32Array) => {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
};

// conv of x [1, 5, 6, 2] by w [3, 2, 2, 3], stride (2, 1), dilation (1, 2), pads top 1 left 2 (explicit, uneven)
const [N, H, W, CI, KH, KW, CO, SH, SW, DH, DW, PT, PL] = [1, 5, 6, 2, 3, 2, 3, 2, 1, 1, 2, 1, 2];
const OH = 3;
const OW = 7;
const CONV = [N, H, W, CI, OH, OW, CO, KH, KW, SH, SW, DH, DW, PT, PL];

function convReference(x: Float32Array, w: Float32Array, bias: Float32Array): Float32Array {
  const y = new Float32Array(OH * OW * CO);
  for (let oh = 0; oh < OH; oh++)
    for (let ow = 0; ow < OW; ow++)
      for (let co = 0; co < CO; co++) {
        let sum = bias[co]!;
        for (let kh = 0; kh < KH; kh++)
          for (let kw = 0; kw < KW; kw++) {
            const ih = oh * SH + kh * DH - PT;
            const iw = ow * SW + kw * DW - PL;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
            for (let ci = 0; ci < CI; ci++) sum += x[(ih * W + iw) * CI + ci]! * w[((kh * KW + kw) * CI + ci) * CO + co]!;
          }
        y[(oh * OW + ow) * CO + co] = Math.max(sum, 0); // relu (activation code 1)
      }
  return y;
}

describe.skipIf(skip !== undefined || run === undefined)('eager native kernels as one-instruction plans', () => {
  it('conv2d with bias and relu on an odd geometry (uneven strides, dilation and pads) matches a reference loop', () => {
    const [x, w, bias] = [lcg(H * W * CI), lcg(KH * KW * CI * CO, 5), Float32Array.from([0.5, -0.25, 0])];
    const y = new Float32Array(OH * OW * CO);
    run!('conv2d', [0, 1, 2, 3, 1, floatBits(0.2), ...CONV], [x, w, bias, y]);
    close(y, convReference(x, w, bias));
  });

  it('matMul with transposed b, a broadcast batch of 1 and a bias of n matches a reference loop', () => {
    const [batch, m, n, k] = [3, 2, 5, 7];
    const [a, b, bias] = [lcg(batch * m * k), lcg(n * k, 3), lcg(n, 9)];
    const c = new Float32Array(batch * m * n);
    run!('matMul', [0, 1, 2, 3, n, batch, 1, m, n, k, 0, 1, 0, floatBits(0.2)], [a, b, c, bias]);
    const want = new Float32Array(batch * m * n);
    for (let t = 0; t < batch; t++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let sum = bias[j]!;
          for (let p = 0; p < k; p++) sum += a[(t * m + i) * k + p]! * b[j * k + p]!;
          want[(t * m + i) * n + j] = sum;
        }
    close(c, want);
  });

  it('maxPool 2x2 stride 2 over [1, 3, 5, 1] (a ragged edge, valid) takes each window maximum', () => {
    const x = lcg(15);
    const y = new Float32Array(2);
    run!('maxPool', [0, 1, 1, 3, 5, 1, 1, 2, 2, 2, 2, 2, 1, 1, 0, 0], [x, y]);
    expect(Array.from(y)).toEqual([Math.max(x[0]!, x[1]!, x[5]!, x[6]!), Math.max(x[2]!, x[3]!, x[7]!, x[8]!)]);
  });

  it('refuses arrays shorter than the geometry says, naming the array and both sizes, and writes nothing', () => {
    const [x, w, bias] = [lcg(H * W * CI), lcg(KH * KW * CI * CO), lcg(CO)];
    const y = new Float32Array(OH * OW * CO - 1).fill(7);
    expect(() => run!('conv2d', [0, 1, 2, 3, 0, 0, ...CONV], [x, w, bias, y])).toThrow(
      `plan instruction 0 (conv2d) y is slot 3 of ${4 * (OH * OW * CO - 1)} bytes, expected ${4 * OH * OW * CO}`,
    );
    expect(y.every((v) => v === 7)).toBe(true);
    expect(() => run!('conv2d', [0, 1, 2, 3, 0, 0, ...CONV], [x, w, bias.subarray(1), new Float32Array(OH * OW * CO)])).toThrow(
      /bias is slot 2/,
    );
    expect(() => run!('conv2dBackwardFilter', [0, 1, 2, ...CONV], [x, new Float32Array(3), w])).toThrow(
      /\(conv2dBackwardFilter\) dy is slot 1/,
    );
    expect(() => run!('maxPoolGrad', [0, 1, 2, 1, 3, 5, 1, 1, 2, 2, 2, 2, 2, 1, 1, 0, 0], [lcg(15), lcg(2), lcg(14)])).toThrow(
      /\(maxPoolGrad\) dx is slot 2 of 56 bytes, expected 60/,
    );
  });

  it('refuses a short or negative geometry, a missing required array, a bad bias and mismatched batches', () => {
    const a = lcg(64);
    expect(() => run!('maxPool', [0, 1, 1, 2, 3], [a, a])).toThrow('plan instruction 0 (maxPool) has 3 geometry entries, expected 14');
    const negative = [...CONV];
    negative[4] = -1;
    expect(() => run!('conv2d', [0, 1, -1, 2, 0, 0, ...negative], [a, a, a])).toThrow(/geometry entry 4 = -1, expected >= 0/);
    expect(() => run!('conv2dBackwardData', [0, -1, 1, ...CONV], [a, a])).toThrow(/\(conv2dBackwardData\) has no slot for filter/);
    const mm = (bias: number, biasLength: number, batchA: number, batchB: number) => () =>
      run!('matMul', [0, 1, 2, bias, biasLength, batchA, batchB, 2, 2, 2, 0, 0, 0, 0], [a, a, a, a]);
    expect(mm(3, 3, 1, 1)).toThrow('plan instruction 0 (matMul) has a bias of 3 values, expected 1 or n = 2');
    expect(mm(-1, 0, 2, 3)).toThrow(/has batches 2 and 3, expected equal or one of them 1/);
    expect(mm(-1, 0, 1, 1)).not.toThrow();
  });

  it('grows its scratch for an instruction longer than 64 fields (a rank-33 transpose), and refuses an unknown op by name', () => {
    const rank = 33;
    const perm = Array.from({ length: rank }, (_, i) => rank - 1 - i);
    const [x, out] = [Float32Array.from([4.5]), new Float32Array(1)];
    run!('transpose', [0, 1, rank, ...Array.from({ length: rank }, () => 1), ...perm], [x, out]);
    expect(out[0]).toBe(4.5);
    expect(() => run!('conv3d' as PlanOpName, [], [])).toThrow('plan instruction 0 has unknown op code -1');
  });

  it('checks the elementwise, reduction, transpose and tile instructions against their shapes too', () => {
    const [a, out] = [lcg(6), new Float32Array(6).fill(7)];
    expect(() => run!('binary', [0, 0, 1, 2, 2, 2, 3, 1, 3, 2, 3], [a, a, out.subarray(1)])).toThrow(
      'plan instruction 0 (binary) out is slot 2 of 20 bytes, expected 24',
    );
    // [2, 3] and [1, 3] do not broadcast to [2, 4], however large the arrays
    expect(() => run!('binary', [0, 0, 1, 2, 2, 2, 3, 1, 3, 2, 4], [a, a, lcg(8)])).toThrow(
      "plan instruction 0 (binary) has axis 1 of sizes 3 and 3, which do not broadcast to out's 4",
    );
    expect(() => run!('compare', [0, 0, 1, 2, 1, 6, 6, 6], [a, a, new Uint8Array(5)])).toThrow(
      /\(compare\) out is slot 2 of 5 bytes, expected 6/,
    );
    expect(() => run!('binary', [0, 0, 1, 2, 2, 2, 3], [a, a, out])).toThrow(/has 2 shape entries, expected 3 x rank 2/);
    expect(() => run!('unary', [0, 0, 1, 7, 0], [a, out])).toThrow(/\(unary\) x is slot 0 of 24 bytes, expected 28/);
    expect(() => run!('grad', [3, 0, 1, -1, 2, 6], [a, a, out])).toThrow(/\(grad\) has no slot for b/);
    expect(() => run!('reduceSum', [0, 1, 2, 3, 2, 0], [a, out])).toThrow(/\(reduceSum\) x is slot 0 of 24 bytes, expected 48/);
    expect(() => run!('tile', [0, 1, 2, 2, 3, 1, 2], [a, out])).toThrow(/\(tile\) out is slot 1 of 24 bytes, expected 48/);
    expect(() => run!('transpose', [0, 1, 2, 2, -3, 1, 0], [a, out])).toThrow(/geometry entry 1 = -3/);
    expect(out.every((v) => v === 7)).toBe(true);
    // the same instructions with room enough run: b broadcast over a's rows, and relu's gradient without b
    run!('binary', [0, 0, 1, 2, 2, 2, 3, 1, 3, 2, 3], [a, a.subarray(0, 3), out]);
    expect(out[4]).toBeCloseTo(a[4]! + a[1]!, 6);
    run!('grad', [2, 0, 1, -1, 2, 6], [a, a, out]);
    expect(Array.from(out)).toEqual(Array.from(a, (v) => v * (v > 0 ? 1 : 0)));
  });
});

const info = (dtype: TensorInfo['dtype']) => ({ dataId: {}, shape: [2], dtype }) as TensorInfo;
const argsOf = (a: TensorInfo['dtype'], b: TensorInfo['dtype']) => ({ inputs: { a: info(a), b: info(b) }, backend: {} }) as unknown as Args;

describe.skipIf(skip !== undefined || run === undefined)('declared input dtypes pick the cpu kernel before calling', () => {
  it("reads each op's first slot type from the addon's layouts", () => {
    const dtypes = inputDtypes(addon!);
    expect(dtypes).toMatchObject({
      binary: 'float32',
      compare: 'float32',
      unary: 'float32',
      grad: 'float32',
      reduceSum: 'float32',
      transpose: 'float32',
      tile: 'float32',
      batchNorm: 'float32',
      logical: 'bool',
      intBinary: 'int32',
      oneHot: 'int32',
    });
    // ops over raw bytes declare none
    expect(dtypes.cast).toBeUndefined();
    expect(dtypes.copy).toBeUndefined();
  });

  it('sends inputs of another dtype to the fallback without running the native kernel, and float32 ones to it', () => {
    const calls: string[] = [];
    const kernel = withFallback(
      (args) => (calls.push(`cpu ${args.inputs['a']!.dtype}`), info('float32')),
      'Add',
      (args) => (calls.push(`native ${args.inputs['a']!.dtype}`), info('float32')),
      'float32',
    );
    kernel(argsOf('int32', 'int32'));
    kernel(argsOf('float32', 'int32'));
    kernel(argsOf('float32', 'float32'));
    expect(calls).toEqual(['cpu int32', 'cpu float32', 'native float32']);
  });
});
