import { OnnxImportError } from '../errors';
import type { Attributes } from '../proto/attributes';
import { BATCH, type Const, makeConst, type Value, size } from './value';

/** Folded values stay small: shapes, pads, scales. A bigger one is a hostile file, not a model. */
const MAX_FOLDED = 1 << 22;

export interface FoldContext {
  readonly attrs: Attributes;
  readonly where: string;
}

type Folder = (ctx: FoldContext, inputs: readonly (Value | null)[]) => Const;

const fail = (ctx: FoldContext, message: string): never => {
  throw new OnnxImportError(message, ctx.where);
};

function constIn(ctx: FoldContext, inputs: readonly (Value | null)[], i: number): Const {
  const v = inputs[i];
  if (!v || v.kind !== 'const') return fail(ctx, `input ${i} must be known at import time (a constant or a folded shape)`);
  return v;
}

function strides(dims: readonly number[]): number[] {
  const s = Array.from({ length: dims.length }, () => 1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

function axis(ctx: FoldContext, a: number, rank: number): number {
  const r = a < 0 ? a + rank : a;
  if (!(r >= 0 && r < rank)) fail(ctx, `axis ${a} is out of range for rank ${rank}`);
  return r;
}

function checked(ctx: FoldContext, dims: readonly number[]): number[] {
  const n = size(dims);
  if (!(n <= MAX_FOLDED) || dims.some((d) => !Number.isInteger(d) || d < 0)) {
    fail(ctx, `folding would make a tensor of dims [${dims.join(', ')}], expected at most ${MAX_FOLDED} elements`);
  }
  return [...dims];
}

const like = (c: Const, dims: readonly number[], data: number[]): Const =>
  makeConst(c.dtype, dims, c.dtype === 'float32' ? Float32Array.from(data) : data);

/** Reads elements of `c` at `index` (a new dims/stride walk): the core of Gather, Slice, Transpose and broadcasting. */
function gatherBy(c: Const, outDims: readonly number[], source: (outIndex: number[]) => number): number[] {
  const n = size(outDims);
  const out: number[] = Array.from({ length: n }, () => 0);
  const idx = Array.from({ length: outDims.length }, () => 0);
  for (let k = 0; k < n; k++) {
    out[k] = c.data[source(idx)]!;
    for (let d = outDims.length - 1; d >= 0; d--) {
      if (++idx[d]! < outDims[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

function broadcastDims(ctx: FoldContext, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[i - rank + a.length] ?? 1;
    const y = b[i - rank + b.length] ?? 1;
    if (x !== y && x !== 1 && y !== 1) fail(ctx, `cannot broadcast [${a.join(', ')}] with [${b.join(', ')}]`);
    return Math.max(x, y);
  });
}

function binary(op: (x: number, y: number) => number, intOp?: (x: number, y: number) => number): Folder {
  return (ctx, inputs) => {
    const a = constIn(ctx, inputs, 0);
    const b = constIn(ctx, inputs, 1);
    const dims = checked(ctx, broadcastDims(ctx, a.dims, b.dims));
    const at = (c: Const) => {
      const s = strides(c.dims);
      const off = dims.length - c.dims.length;
      return (idx: number[]) => c.dims.reduce((p, d, i) => p + (d === 1 ? 0 : idx[i + off]! * s[i]!), 0);
    };
    const xs = gatherBy(a, dims, at(a));
    const ys = gatherBy(b, dims, at(b));
    const isInt = a.dtype === 'int' && b.dtype === 'int';
    const f = isInt && intOp ? intOp : op;
    const data = xs.map((x, i) => f(x, ys[i]!));
    if (data.some((v) => Number.isNaN(v)) && [...xs, ...ys].some((v) => Number.isNaN(v))) {
      fail(ctx, 'arithmetic on the batch size cannot be folded at import (the batch size is only known when the model runs)');
    }
    return like(isInt ? a : a.dtype === 'float32' ? a : b, dims, data);
  };
}

function ints(ctx: FoldContext, c: Const, what: string): number[] {
  if (c.dtype !== 'int') fail(ctx, `${what} must be integers, got ${c.dtype}`);
  return [...c.data];
}

/** Axes from opset 13's input or the older attribute. */
function axesOf(ctx: FoldContext, inputs: readonly (Value | null)[]): number[] {
  return inputs[1] ? ints(ctx, constIn(ctx, inputs, 1), 'axes') : ctx.attrs.ints('axes');
}

export const FOLDERS: Record<string, Folder> = {
  Identity: (ctx, inputs) => constIn(ctx, inputs, 0),
  Constant: (ctx) => {
    if (ctx.attrs.has('value')) return ctx.attrs.tensor('value');
    if (ctx.attrs.has('value_int')) return makeConst('int', [], [ctx.attrs.int('value_int')]);
    if (ctx.attrs.has('value_ints')) {
      const v = ctx.attrs.ints('value_ints');
      return makeConst('int', [v.length], v);
    }
    if (ctx.attrs.has('value_float')) return makeConst('float32', [], Float32Array.of(ctx.attrs.float('value_float')));
    return fail(ctx, 'Constant has none of the attributes value, value_int, value_ints, value_float');
  },
  Shape: (ctx, inputs) => {
    const v = inputs[0];
    if (!v) return fail(ctx, 'Shape has no input');
    const dims = v.kind === 'runtime' ? [BATCH, ...v.dims.slice(1)] : [...v.dims];
    const start = ctx.attrs.int('start', 0);
    const end = ctx.attrs.has('end') ? ctx.attrs.int('end') : dims.length;
    const clamp = (i: number) => Math.min(Math.max(i < 0 ? i + dims.length : i, 0), dims.length);
    const out = dims.slice(clamp(start), clamp(end));
    return makeConst('int', [out.length], out);
  },
  Gather: (ctx, inputs) => {
    const data = constIn(ctx, inputs, 0);
    const index = constIn(ctx, inputs, 1);
    const ax = axis(ctx, ctx.attrs.int('axis', 0), data.dims.length);
    const n = data.dims[ax]!;
    const picks = ints(ctx, index, 'Gather indices').map((i) => (i < 0 ? i + n : i));
    if (picks.some((i) => !(i >= 0 && i < n))) fail(ctx, `Gather index out of range for axis ${ax} of size ${n}`);
    const outDims = checked(ctx, [...data.dims.slice(0, ax), ...index.dims, ...data.dims.slice(ax + 1)]);
    const s = strides(data.dims);
    const ir = index.dims.length;
    const is = strides(index.dims);
    const out = gatherBy(data, outDims, (idx) => {
      const j = index.dims.reduce((p, _d, i) => p + idx[ax + i]! * is[i]!, 0);
      let off = picks[j]! * s[ax]!;
      for (let d = 0; d < ax; d++) off += idx[d]! * s[d]!;
      for (let d = ax + 1; d < data.dims.length; d++) off += idx[d + ir - 1]! * s[d]!;
      return off;
    });
    return like(data, outDims, out);
  },
  Unsqueeze: (ctx, inputs) => {
    const data = constIn(ctx, inputs, 0);
    const rank = data.dims.length + axesOf(ctx, inputs).length;
    const axes = new Set(axesOf(ctx, inputs).map((a) => axis(ctx, a, rank)));
    const dims: number[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) dims.push(axes.has(i) ? 1 : data.dims[k++]!);
    return like(data, dims, [...data.data]);
  },
  Squeeze: (ctx, inputs) => {
    const data = constIn(ctx, inputs, 0);
    const given = inputs[1] || ctx.attrs.has('axes') ? axesOf(ctx, inputs) : null;
    const axes = new Set(given?.map((a) => axis(ctx, a, data.dims.length)) ?? data.dims.flatMap((d, i) => (d === 1 ? [i] : [])));
    return like(
      data,
      data.dims.filter((_, i) => !axes.has(i)),
      [...data.data],
    );
  },
  Concat: (ctx, inputs) => {
    const parts = inputs.map((_, i) => constIn(ctx, inputs, i));
    const first = parts[0];
    if (!first) return fail(ctx, 'Concat has no inputs');
    const ax = axis(ctx, ctx.attrs.int('axis'), first.dims.length);
    if (parts.some((p) => p.dims.length !== first.dims.length || p.dims.some((d, i) => i !== ax && d !== first.dims[i]))) {
      fail(ctx, `Concat inputs disagree outside axis ${ax}: ${parts.map((p) => `[${p.dims.join(', ')}]`).join(', ')}`);
    }
    const outer = size(first.dims.slice(0, ax));
    const dims = checked(ctx, [...first.dims.slice(0, ax), parts.reduce((n, p) => n + p.dims[ax]!, 0), ...first.dims.slice(ax + 1)]);
    const out: number[] = [];
    for (let o = 0; o < outer; o++) {
      for (const p of parts) {
        const chunk = size(p.dims.slice(ax));
        for (let k = 0; k < chunk; k++) out.push(p.data[o * chunk + k]!);
      }
    }
    return like(parts.some((p) => p.dtype === 'float32') ? (parts.find((p) => p.dtype === 'float32') as Const) : first, dims, out);
  },
  Cast: (ctx, inputs) => {
    const data = constIn(ctx, inputs, 0);
    const to = ctx.attrs.int('to');
    const toInt = [2, 3, 4, 5, 6, 7, 9, 12, 13].includes(to);
    const values = [...data.data].map((v) => (toInt && Number.isFinite(v) ? Math.trunc(v) : v));
    return makeConst(toInt ? 'int' : 'float32', data.dims, toInt ? values : Float32Array.from(values));
  },
  Reshape: (ctx, inputs) => {
    const data = constIn(ctx, inputs, 0);
    const shape = ints(ctx, constIn(ctx, inputs, 1), 'Reshape shape');
    return like(data, reshapeDims(ctx, data.dims, shape), [...data.data]);
  },
  Transpose: (ctx, inputs) => {
    const data = constIn(ctx, inputs, 0);
    const rank = data.dims.length;
    // oxlint-disable-next-line unicorn/no-array-reverse -- reverses a fresh array; toReversed is ES2023
    const perm = ctx.attrs.ints('perm', [...Array(rank).keys()].reverse());
    if (perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => !(p >= 0 && p < rank))) {
      fail(ctx, `perm [${perm.join(', ')}] is not a permutation of ${rank} axes`);
    }
    const s = strides(data.dims);
    const dims = perm.map((p) => data.dims[p]!);
    const out = gatherBy(data, dims, (idx) => perm.reduce((o, p, i) => o + idx[i]! * s[p]!, 0));
    const result = makeConst(data.dtype, dims, data.dtype === 'float32' ? Float32Array.from(out) : out);
    return rank === 2 && perm[0] === 1 ? { ...result, transposeOf: data } : result;
  },
  Slice: (ctx, inputs) => {
    const data = constIn(ctx, inputs, 0);
    const starts = ints(ctx, constIn(ctx, inputs, 1), 'Slice starts');
    const ends = ints(ctx, constIn(ctx, inputs, 2), 'Slice ends');
    const axes = inputs[3] ? ints(ctx, constIn(ctx, inputs, 3), 'Slice axes') : starts.map((_, i) => i);
    const steps = inputs[4] ? ints(ctx, constIn(ctx, inputs, 4), 'Slice steps') : starts.map(() => 1);
    const begin = data.dims.map(() => 0);
    const step = data.dims.map(() => 1);
    const dims = [...data.dims];
    axes.forEach((a0, i) => {
      const a = axis(ctx, a0, data.dims.length);
      const n = data.dims[a]!;
      const st = steps[i] ?? 1;
      if (st === 0 || !Number.isFinite(st)) fail(ctx, 'Slice step 0');
      const clampS = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
      const b = st > 0 ? clampS(starts[i]!, 0, n) : clampS(starts[i]!, -1, n - 1);
      const e = st > 0 ? clampS(ends[i]!, 0, n) : clampS(ends[i]!, -1, n - 1);
      begin[a] = b;
      step[a] = st;
      dims[a] = Math.max(0, Math.ceil((e - b) / st));
    });
    const s = strides(data.dims);
    const out = gatherBy(data, dims, (idx) => idx.reduce((o, v, d) => o + (begin[d]! + v * step[d]!) * s[d]!, 0));
    return like(data, dims, out);
  },
  ConstantOfShape: (ctx, inputs) => {
    const dims = checked(ctx, ints(ctx, constIn(ctx, inputs, 0), 'ConstantOfShape shape'));
    const value = ctx.attrs.has('value') ? ctx.attrs.tensor('value') : makeConst('float32', [1], Float32Array.of(0));
    return like(
      value,
      dims,
      Array.from({ length: size(dims) }, () => value.data[0] ?? 0),
    );
  },
  Add: binary((x, y) => x + y),
  Sub: binary((x, y) => x - y),
  Mul: binary((x, y) => x * y),
  Div: binary(
    (x, y) => x / y,
    (x, y) => Math.trunc(x / y),
  ),
  Neg: (ctx, inputs) => {
    const data = constIn(ctx, inputs, 0);
    return like(
      data,
      data.dims,
      [...data.data].map((v) => -v),
    );
  },
};

/** ONNX Reshape's target: 0 copies the input's dim, -1 is inferred, BATCH stays the batch. */
export function reshapeDims(ctx: FoldContext, from: readonly number[], shape: readonly number[]): number[] {
  const total = size(from.map((d) => (Number.isNaN(d) ? 1 : d)));
  const dims = shape.map((d, i) => (d === 0 ? (from[i] ?? fail(ctx, `Reshape: 0 at axis ${i} copies a dim the input does not have`)) : d));
  const known = dims.filter((d) => d !== -1).reduce((a, b) => a * (Number.isNaN(b) ? 1 : b), 1);
  const free = dims.filter((d) => d === -1).length;
  if (free > 1 || dims.some((d) => d < -1)) fail(ctx, `Reshape shape [${shape.join(', ')}] has more than one -1 or a negative size`);
  if (free === 1) {
    if (known === 0 || total % known !== 0) fail(ctx, `cannot reshape [${from.join(', ')}] to [${shape.join(', ')}]`);
    return dims.map((d) => (d === -1 ? total / known : d));
  }
  if (known !== total) fail(ctx, `cannot reshape [${from.join(', ')}] (${total} elements) to [${shape.join(', ')}]`);
  return dims;
}
