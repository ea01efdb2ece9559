// Per-call cost of a tiny eager op (an Add of N floats, default 64) through the addon's entries, as the kernels in
// @logitlab/backends call them: runOp (this build; also with the instruction built once), a one-op runPlan, and, given the path of an ABI-4
// addon (main before runOp), its positional `binary` with the shapes packed as its kernel packed them.
//   node packages/native/bench/run-op.mjs [old-addon.node] [N]
// Rounds interleave the entries; each prints the median and quartiles of its per-round means (1 thread).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// this build first: g++ makes plan-layout.h's inline kPlanOps a process-wide unique symbol, so an addon loaded second
// reads the first one's table (the old positional binary never reads it; the old runPlan would, so it is not timed)
const addon = require(path.join(import.meta.dirname, '..', 'build', 'Release', 'logitlab_native.node'));
const old = process.argv[2] ? require(path.resolve(process.argv[2])) : undefined;
const n = Number(process.argv[3] ?? 64);
for (const a of [addon, old]) a?.setThreads(1);

const offHeap = (length) => new Float32Array(new ArrayBuffer(4 * length));
const [a, b, out] = [offHeap(n).fill(1), offHeap(n).fill(2), offHeap(n)];
const shape = [n];

// the kernels' own argument building: the old one packed three shapes into one reused array (ints.ts)...
const packed = new Int32Array(new ArrayBuffer(1024));
function packInts(...lists) {
  let at = lists.length;
  lists.forEach((list, i) => {
    packed[i] = list.length;
    for (const d of list) packed[at++] = d;
  });
  return packed;
}
// ...the new one writes [op, fieldCount, ...fields] into a reused view (backends' run-op.ts)
const opCode = new Map(addon.planLayout().map((l, i) => [l.name, i]));
const views = [];
const codeBuffer = new ArrayBuffer(256);
function code(op, fields) {
  const c = (views[fields.length] ??= new Int32Array(codeBuffer, 0, fields.length + 2));
  c[0] = opCode.get(op);
  c[1] = fields.length;
  c.set(fields, 2);
  return c;
}
const slots = new Int32Array(new ArrayBuffer(36));
const aligned = (x, y, o) => [Math.max(1, x.length, y.length, o.length), ...x, ...y, ...o];

// the same instruction built once: the addon's side of the call alone
const built = new Int32Array(new ArrayBuffer(40));
built.set(code('binary', [0, 0, 1, 2, ...aligned(shape, shape, shape)]));
const entries = {
  'runOp, built once': () => addon.runOp(built, a, b, out),
  runOp: () => addon.runOp(code('binary', [0, 0, 1, 2, ...aligned(shape, shape, shape)]), a, b, out),
  'one-op runPlan': () => {
    for (let i = 0; i < 3; i++) [slots[3 * i], slots[3 * i + 1], slots[3 * i + 2]] = [i, 0, 4 * n];
    addon.runPlan(code('binary', [0, 0, 1, 2, ...aligned(shape, shape, shape)]), slots, [a, b, out]);
  },
  ...(old && { 'ABI 4 positional binary': () => old.binary(0, a, b, out, packInts(shape, shape, shape)) }),
};

const calls = 100_000;
const timeOf = (f) => {
  const t = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) f();
  return Number(process.hrtime.bigint() - t) / calls / 1000;
};
const rounds = Object.fromEntries(Object.keys(entries).map((k) => [k, []]));
for (const f of Object.values(entries)) timeOf(f); // warm up
for (let r = 0; r < 15; r++) for (const [k, f] of Object.entries(entries)) rounds[k].push(timeOf(f));
const q = (v, p) => v.toSorted((x, y) => x - y)[Math.round(p * (v.length - 1))].toFixed(2);
for (const [k, v] of Object.entries(rounds)) console.log(`${k.padEnd(24)} ${q(v, 0.5)} us a call (quartiles ${q(v, 0.25)}-${q(v, 0.75)})`);
if (out[n - 1] !== 3) throw new Error(`wrong sum: ${out[n - 1]}`);
