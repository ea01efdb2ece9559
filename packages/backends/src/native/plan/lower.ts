// One recorded kernel call -> one instruction of the addon's plan (layouts in @logitlab/native's PLAN_OPS), or
// an alias (Reshape, Identity, a same-dtype Cast: the output is the input's storage), or why the addon cannot
// run it. Each lowering takes exactly the cases the eager native kernel takes natively, so a compiled step
// computes what the eager one does; anything else keeps the whole plan on the kernel-by-kernel replay.
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { DataType, NamedAttrMap } from '@tensorflow/tfjs-core';
import type { OpSpec, SlotSpec } from '../../compat/step-plan';
import { FUSED_GRAD_KERNELS } from '../../lean-gradients';
import type { NativeModule } from '../types';
import { alignedShapes, convGeom, floatBits, poolGeom } from '../geometry';

export interface Instruction {
  op: string;
  fields: number[];
}
type Lowered = Instruction | { alias: number } | string;

export interface LowerContext {
  op: OpSpec;
  slots: readonly SlotSpec[];
  /** The slot of a named input (-1 when absent). */
  input(name: string): number;
  out: number;
  codes: Pick<NativeModule, 'ACTIVATIONS' | 'BINARY' | 'UNARY' | 'COMPARE'> & { GRAD: Record<string, number> };
}

type Lowering = (c: LowerContext) => Lowered;
type Pair = number | [number, number];
type Shape4 = [number, number, number, number];

const DTYPE_CODE: Partial<Record<DataType, number>> = { float32: 0, int32: 1, bool: 2 };
const sizeOf = (s: SlotSpec) => util.sizeFromShape(s.shape);
const isF32 = (c: LowerContext, ...slots: number[]) => slots.every((s) => s < 0 || c.slots[s]!.dtype === 'float32');

function activation(c: LowerContext, attrs: NamedAttrMap | undefined): number | string {
  const name = (attrs?.['activation'] as string | undefined) ?? 'linear';
  return (c.codes.ACTIVATIONS as Record<string, number>)[name] ?? `activation ${name} is not native`;
}

const conv: Lowering = (c) => {
  const a = c.op.attrs as {
    strides: Pair;
    pad: 'valid';
    dataFormat: 'NHWC';
    dilations: Pair;
    dimRoundingMode?: 'floor';
    leakyreluAlpha?: number;
  };
  const [x, w, bias] = [c.input('x'), c.input('filter'), c.input('bias')];
  if (c.input('preluActivationWeights') >= 0 || !isF32(c, x, w, bias) || (a.dataFormat ?? 'NHWC') !== 'NHWC')
    return 'a prelu, non-float32 or NCHW convolution';
  const info = backend_util.computeConv2DInfo(
    c.slots[x]!.shape as Shape4,
    c.slots[w]!.shape as Shape4,
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
  );
  if (bias >= 0 && sizeOf(c.slots[bias]!) !== info.outChannels) return 'a convolution bias that is not one per channel';
  const act = c.op.kernelName === 'FusedConv2D' ? activation(c, c.op.attrs) : 0;
  if (typeof act === 'string') return act;
  return { op: 'conv2d', fields: [x, w, bias, c.out, act, floatBits(a.leakyreluAlpha ?? 0.2), ...convGeom(info)] };
};

const backprop =
  (which: 'data' | 'filter'): Lowering =>
  (c) => {
    const a = c.op.attrs as {
      strides: Pair;
      pad: 'valid';
      dataFormat: 'NHWC';
      dimRoundingMode?: 'floor';
      inputShape: Shape4;
      filterShape: Shape4;
    };
    if ((a.dataFormat ?? 'NHWC') !== 'NHWC') return 'an NCHW convolution gradient';
    const [dy, other] = which === 'data' ? [c.input('dy'), c.input('filter')] : [c.input('dy'), c.input('x')];
    if (!isF32(c, dy, other)) return 'a non-float32 convolution gradient';
    const xShape = which === 'data' ? a.inputShape : (c.slots[other]!.shape as Shape4);
    const wShape = which === 'data' ? (c.slots[other]!.shape as Shape4) : a.filterShape;
    const geom = convGeom(backend_util.computeConv2DInfo(xShape, wShape, a.strides, 1, a.pad, a.dimRoundingMode));
    return which === 'data'
      ? { op: 'conv2dBackwardData', fields: [dy, other, c.out, ...geom] }
      : { op: 'conv2dBackwardFilter', fields: [other, dy, c.out, ...geom] };
  };

const matMul: Lowering = (c) => {
  const at = c.op.attrs as { transposeA: boolean; transposeB: boolean; leakyreluAlpha?: number };
  const [a, b, bias] = [c.input('a'), c.input('b'), c.input('bias')];
  if (c.input('preluActivationWeights') >= 0 || !isF32(c, a, b, bias)) return 'a prelu or non-float32 matmul';
  const sa = c.slots[a]!.shape;
  const sb = c.slots[b]!.shape;
  const m = at.transposeA ? sa.at(-1)! : sa.at(-2)!;
  const k = at.transposeA ? sa.at(-2)! : sa.at(-1)!;
  const n = at.transposeB ? sb.at(-2)! : sb.at(-1)!;
  const [outerA, outerB] = [sa.slice(0, -2), sb.slice(0, -2)];
  const [batchA, batchB] = [util.sizeFromShape(outerA), util.sizeFromShape(outerB)];
  if (!(util.arraysEqual(outerA, outerB) || batchA === 1 || batchB === 1)) return 'a matmul whose batch dimensions broadcast';
  const biasLength = bias >= 0 ? sizeOf(c.slots[bias]!) : 0;
  if (bias >= 0 && !(biasLength === 1 || (biasLength === n && c.slots[bias]!.shape.at(-1) === n)))
    return 'a matmul bias that is not 1 or n';
  const act = c.op.kernelName === '_FusedMatMul' ? activation(c, c.op.attrs) : 0;
  if (typeof act === 'string') return act;
  return {
    op: 'matMul',
    fields: [
      a,
      b,
      c.out,
      bias,
      biasLength,
      batchA,
      batchB,
      m,
      n,
      k,
      +at.transposeA,
      +at.transposeB,
      act,
      floatBits(at.leakyreluAlpha ?? 0.2),
    ],
  };
};

const pool =
  (grad: boolean): Lowering =>
  (c) => {
    const a = c.op.attrs as { filterSize: Pair; strides: Pair; pad: 'valid'; dimRoundingMode?: 'floor' };
    const x = grad ? c.input('input') : c.input('x');
    if (!isF32(c, x, c.input('dy'))) return 'a non-float32 max pool';
    const geom = poolGeom(
      backend_util.computePool2DInfo(c.slots[x]!.shape as Shape4, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode),
    );
    return grad ? { op: 'maxPoolGrad', fields: [x, c.input('dy'), c.out, ...geom] } : { op: 'maxPool', fields: [x, c.out, ...geom] };
  };

const binary =
  (op: 'binary' | 'compare', code: number): Lowering =>
  (c) => {
    const [a, b] = [c.input('a'), c.input('b')];
    if (!isF32(c, a, b)) return `${c.op.kernelName} of ${c.slots[a]!.dtype} values`;
    return { op, fields: [code, a, b, c.out, ...alignedShapes(c.slots[a]!.shape, c.slots[b]!.shape, c.slots[c.out]!.shape)] };
  };

/** Same-size operands, or one of one element: the loops the addon's byte and int ops have. */
function elementCounts(c: LowerContext, a: number, b: number): number[] | string {
  const [na, nb, n] = [sizeOf(c.slots[a]!), sizeOf(c.slots[b]!), sizeOf(c.slots[c.out]!)];
  if (!((na === n || na === 1) && (nb === n || nb === 1))) return `${c.op.kernelName} broadcasting beyond a scalar`;
  return [n, na, nb];
}

const intBinary =
  (code: number): Lowering =>
  (c) => {
    const [a, b] = [c.input('a'), c.input('b')];
    const counts = elementCounts(c, a, b);
    return typeof counts === 'string' ? counts : { op: 'intBinary', fields: [code, a, b, c.out, ...counts] };
  };

/** Float kernels native; int32 Add, Sub and Multiply as the addon's wrapping int loop. */
const arithmetic =
  (name: string, code: number): Lowering =>
  (c) =>
    c.slots[c.input('a')]!.dtype === 'int32' && c.slots[c.input('b')]!.dtype === 'int32' && ['Add', 'Sub', 'Multiply'].includes(name)
      ? intBinary(['Add', 'Sub', 'Multiply'].indexOf(name))(c)
      : binary('binary', code)(c);

const logical =
  (code: number): Lowering =>
  (c) => {
    const [a, b] = [c.input('a'), code === 2 ? c.input('x') : c.input('b')];
    const counts = code === 2 ? [sizeOf(c.slots[a < 0 ? b : a]!), 0, 0] : elementCounts(c, a, b);
    if (typeof counts === 'string') return counts;
    const x = code === 2 ? b : a;
    return { op: 'logical', fields: [code, x, code === 2 ? -1 : b, c.out, ...counts] };
  };

function reduce(c: LowerContext, op: 'reduceSum' | 'reduceMax', mean: boolean): Lowered {
  const x = c.input('x');
  const shape = c.slots[x]!.shape;
  if (!isF32(c, x)) return `${c.op.kernelName} of ${c.slots[x]!.dtype} values`;
  // Sum and Mean name their axes `axis`, Max `reductionIndices` (null: every axis)
  const a = (c.op.attrs ?? {}) as { axis?: number | number[] | null; reductionIndices?: number | number[] | null };
  const axis = 'axis' in a ? a.axis : a.reductionIndices;
  // oxlint-disable-next-line unicorn/no-array-sort -- sorts a fresh copy; toSorted is ES2023
  const axes = [...util.parseAxisParam(axis as number | number[], shape)].sort((p, q) => p - q);
  if (axes.length === 0 || axes.some((ax, i) => i > 0 && ax !== axes[i - 1]! + 1))
    return `${c.op.kernelName} over axes that are not one block`;
  const [first, last] = [axes[0]!, axes.at(-1)!];
  const reduced = util.sizeFromShape(shape.slice(first, last + 1));
  const dims = [util.sizeFromShape(shape.slice(0, first)), reduced, util.sizeFromShape(shape.slice(last + 1))];
  return op === 'reduceSum' ? { op, fields: [x, c.out, ...dims, floatBits(mean ? 1 / reduced : 1)] } : { op, fields: [x, c.out, ...dims] };
}

const castLowering: Lowering = (c) => {
  const x = c.input('x');
  const [from, to] = [DTYPE_CODE[c.slots[x]!.dtype], DTYPE_CODE[(c.op.attrs as { dtype: DataType }).dtype]];
  if (from === undefined || to === undefined) return `a Cast between ${c.slots[x]!.dtype} and ${String(c.op.attrs?.['dtype'])}`;
  return from === to ? { alias: x } : { op: 'cast', fields: [x, c.out, sizeOf(c.slots[x]!), from, to] };
};

const BYTES: Partial<Record<DataType, number>> = { float32: 4, int32: 4, bool: 1 };

/** The lowering of every kernel the addon's plan runs, by tfjs kernel name. */
export function lowerings(codes: LowerContext['codes']): Record<string, Lowering> {
  const table: Record<string, Lowering> = {
    Reshape: (c) => ({ alias: c.input('x') }),
    Identity: (c) => ({ alias: c.input('x') }),
    Cast: castLowering,
    Conv2D: conv,
    FusedConv2D: conv,
    Conv2DBackpropInput: backprop('data'),
    Conv2DBackpropFilter: backprop('filter'),
    BatchMatMul: matMul,
    _FusedMatMul: matMul,
    MaxPool: pool(false),
    MaxPoolGrad: pool(true),
    Sum: (c) => reduce(c, 'reduceSum', false),
    Mean: (c) => reduce(c, 'reduceSum', true),
    Max: (c) => reduce(c, 'reduceMax', false),
    Transpose: (c) => {
      const x = c.input('x');
      const perm = (c.op.attrs as { perm: number[] }).perm;
      return isF32(c, x) ? { op: 'transpose', fields: [x, c.out, perm.length, ...c.slots[x]!.shape, ...perm] } : 'a non-float32 Transpose';
    },
    Tile: (c) => {
      const x = c.input('x');
      const reps = (c.op.attrs as { reps: number[] }).reps;
      const shape = c.slots[x]!.shape;
      return isF32(c, x) && reps.length === shape.length
        ? { op: 'tile', fields: [x, c.out, shape.length, ...shape, ...reps] }
        : 'a non-float32 or rank-changing Tile';
    },
    LogicalAnd: logical(0),
    LogicalOr: logical(1),
    LogicalNot: logical(2),
    ZerosLike: (c) => ({ op: 'fill', fields: [c.out, sizeOf(c.slots[c.out]!) * (BYTES[c.slots[c.out]!.dtype] ?? 0)] }),
    Select: (c) => {
      const [cond, t, e] = [c.input('condition'), c.input('t'), c.input('e')];
      const n = sizeOf(c.slots[c.out]!);
      const bytes = BYTES[c.slots[c.out]!.dtype];
      if (!bytes || sizeOf(c.slots[cond]!) !== n || sizeOf(c.slots[t]!) !== n || sizeOf(c.slots[e]!) !== n)
        return 'a Select that broadcasts';
      return { op: 'select', fields: [cond, t, e, c.out, n, bytes] };
    },
    OneHot: (c) => {
      const a = c.op.attrs as { depth: number; onValue?: number; offValue?: number; dtype?: DataType };
      const indices = c.input('indices');
      const dtype = c.slots[c.out]!.dtype;
      if (c.slots[indices]!.dtype !== 'int32' || (dtype !== 'float32' && dtype !== 'int32')) return `a OneHot to ${dtype}`;
      const fields = [
        indices,
        c.out,
        sizeOf(c.slots[indices]!),
        a.depth,
        floatBits(a.onValue ?? 1),
        floatBits(a.offValue ?? 0),
        dtype === 'int32' ? 1 : 0,
      ];
      return { op: 'oneHot', fields };
    },
  };
  for (const [name, code] of Object.entries(codes.BINARY)) table[name] = arithmetic(name, code);
  for (const [name, code] of Object.entries(codes.COMPARE)) table[name] = binary('compare', code);
  for (const [name, code] of Object.entries(codes.UNARY))
    table[name] = (c) => {
      const x = c.input('x');
      if (!isF32(c, x)) return `${name} of ${c.slots[x]!.dtype} values`;
      const alpha = name === 'Step' ? ((c.op.attrs as { alpha?: number } | undefined)?.alpha ?? 0) : 0;
      return { op: 'unary', fields: [code, x, c.out, sizeOf(c.slots[x]!), floatBits(alpha)] };
    };
  for (const [op, kernelName] of Object.entries(FUSED_GRAD_KERNELS)) {
    const code = codes.GRAD[op];
    if (code !== undefined)
      table[kernelName] = (c) => {
        const [dy, a, b] = [c.input('dy'), c.input('a'), c.input('b')];
        return isF32(c, dy, a, b)
          ? { op: 'grad', fields: [code, dy, a, b, c.out, sizeOf(c.slots[dy]!)] }
          : `${kernelName} of non-float32 values`;
      };
  }
  return table;
}
