#!/usr/bin/env node
// Turns `logitlab bench` result files into the README's Performance block, so every number and every
// comparative sentence there comes from a measurement (several files: one per run, shown as ranges).
//   node apps/trainer/bench/readme.mjs results/a.json [results/b.json ...] [--write README.md] [--block bench]
// With --write, replaces the text between <!-- bench:start --> and <!-- bench:end --> (or --block's name) in that file.
import fs from 'node:fs';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
};
const target = option('--write');
// several blocks (e.g. one per thread count) live in one README: <!-- NAME:start --> ... <!-- NAME:end -->
const blockName = option('--block') ?? 'bench';
const files = args;
if (files.length === 0) {
  console.error('usage: readme.mjs <bench.json>... [--write README.md]');
  process.exit(2);
}
const runs = files.map((f) => ({ file: f, ...JSON.parse(fs.readFileSync(f, 'utf8')) }));

const int = (x) => Math.round(x).toLocaleString('en-US');
const x2 = (x) => `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}x`;
const range = (xs, f) => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return xs.length === 1 || f(lo) === f(hi) ? f(lo) : `${f(lo)}-${f(hi)}`;
};

// rows[workload][backend] = measurements over runs
const rows = new Map();
const torch = new Map();
for (const [runIndex, run] of runs.entries()) {
  const flops = Object.fromEntries(run.workloads.map((w) => [w.name, w.trainGflops / w.trainSamplesPerSec]));
  for (const t of run.pytorch ?? []) {
    if (!('trainSamplesPerSec' in t)) continue;
    const list = torch.get(t.name) ?? [];
    list.push({ ...t, runIndex, trainGflops: (flops[t.name] ?? 0) * t.trainSamplesPerSec });
    torch.set(t.name, list);
  }
  for (const w of run.workloads) {
    const byBackend = rows.get(w.name) ?? new Map();
    const list = byBackend.get(w.backend) ?? [];
    list.push({ ...w, runIndex });
    byBackend.set(w.backend, list);
    rows.set(w.name, byBackend);
  }
}

const lines = [];
const loads = runs.flatMap((r) => r.machine.loadAverage ?? []);
const m = runs[0].machine;
const s = runs[0].settings;
lines.push(
  `Measured by \`pnpm bench\` (${runs.length} run${runs.length > 1 ? 's, ranges over runs' : ''}): ${s.threads} thread${s.threads > 1 ? 's' : ''} on both sides, ` +
    `median of ${s.repeats} timed repeats of up to ${s.steps} steps after a time-based warm-up, SGD, random data. ` +
    `PyTorch ${torch.values().next().value?.[0]?.torch ?? '(not run)'} runs each workload right after logitlab in the same invocation, with torch intra-op threads = ${s.threads} ` +
    (s.threads > 1 ? `and the better of OPENBLAS_NUM_THREADS=1 and ${s.threads}` : 'and OPENBLAS_NUM_THREADS=1') +
    `. Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}, tfjs ${m.tfjs}` +
    (loads.length ? `, 1-minute load average ${range(loads, (v) => v.toFixed(1))} during the runs` : '') +
    // the bench itself keeps up to `cores` threads runnable; more than that (with a margin for its helpers) is other jobs
    (loads.length && Math.max(...loads) > m.cores + 0.5
      ? ` (above the ${m.cores} cores: other jobs shared the machine and time-sliced both sides; rerun on a quiet machine for representative ratios)`
      : '') +
    `. ` +
    `Ratios (logitlab / PyTorch, same run) are the claim, not absolute numbers.`,
);
lines.push('');
lines.push(
  '| workload | backend | train/s | infer/s | leaked tensors/step | train GFLOP/s | PyTorch train/s | PyTorch infer/s | PyTorch train GFLOP/s | **train ratio** | **infer ratio** |',
);
lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const ratios = new Map(); // backend -> { train: [], infer: [], byWorkload }
for (const [name, byBackend] of rows) {
  const t = torch.get(name) ?? [];
  for (const [backend, list] of byBackend) {
    const tr = list.map((w) => w.pytorchTrainRatio).filter((v) => v !== undefined);
    const ir = list.map((w) => w.pytorchInferRatio).filter((v) => v !== undefined);
    const r = ratios.get(backend) ?? { byWorkload: new Map() };
    r.byWorkload.set(name, { train: tr, infer: ir });
    ratios.set(backend, r);
    lines.push(
      `| ${name} | ${backend} | ${range(
        list.map((w) => w.trainSamplesPerSec),
        int,
      )} | ${range(
        list.map((w) => w.inferSamplesPerSec),
        int,
      )} | ` +
        `${range(
          list.map((w) => w.leakedTensorsPerStep),
          String,
        )} | ${range(
          list.map((w) => w.trainGflops),
          (v) => v.toFixed(1),
        )} | ` +
        `${
          t.length
            ? range(
                t.map((p) => p.trainSamplesPerSec),
                int,
              )
            : '-'
        } | ${
          t.length
            ? range(
                t.map((p) => p.inferSamplesPerSec),
                int,
              )
            : '-'
        } | ` +
        `${
          t.length
            ? range(
                t.map((p) => p.trainGflops),
                (v) => v.toFixed(1),
              )
            : '-'
        } | ${tr.length ? range(tr, x2) : '-'} | ${ir.length ? range(ir, x2) : '-'} |`,
    );
  }
}
lines.push('');
const roof = runs.map((r) => r.roofline?.gflops).filter((v) => v !== undefined);
if (roof.length) {
  const best = Math.max(...[...rows.values()].flatMap((b) => [...b.values()].flat().map((w) => w.trainGflops)));
  // a compiled row does the same FLOPs per sample as its eager row
  const bestCompiled = Math.max(
    0,
    ...[...rows.values()].flatMap((b) =>
      [...b.values()]
        .flat()
        .map((w) => (w.compiled && !w.compiled.fallback ? (w.trainGflops / w.trainSamplesPerSec) * w.compiled.trainSamplesPerSec : 0)),
    ),
  );
  lines.push(
    `Roofline: OpenBLAS sgemm (1024^3, float32, through PyTorch) reaches ${range(roof, (v) => v.toFixed(0))} GFLOP/s here; ` +
      `the best training throughput above is ${best.toFixed(1)} GFLOP/s, ${((100 * best) / Math.max(...roof)).toFixed(1)}% of the highest` +
      (bestCompiled > 0
        ? ` (compiled: ${bestCompiled.toFixed(1)} GFLOP/s, ${((100 * bestCompiled) / Math.max(...roof)).toFixed(1)}%).`
        : '.') +
      // OpenBLAS's 2-thread sgemm loses most to a busy core: a roofline below what training reached was measured under load
      (Math.max(best, bestCompiled) > Math.max(...roof)
        ? ' Training above the sgemm figure means that figure was measured while other jobs held a core: it is no roofline for these runs.'
        : ''),
  );
  lines.push('');
}
// the done-bar of issue 11, computed: every workload >= 0.8x in training, >= 1.0x in inference
for (const [backend, r] of ratios) {
  const worstTrain = [...r.byWorkload].map(([w, v]) => [w, Math.min(...v.train)]).filter(([, v]) => Number.isFinite(v));
  const worstInfer = [...r.byWorkload].map(([w, v]) => [w, Math.min(...v.infer)]).filter(([, v]) => Number.isFinite(v));
  if (!worstTrain.length) continue;
  const below = worstTrain.filter(([, v]) => v < 0.8).map(([w, v]) => `${w} (${v.toFixed(3)}x)`);
  const belowInfer = worstInfer.filter(([, v]) => v < 1).map(([w, v]) => `${w} (${x2(v)})`);
  const all = worstTrain.map(([, v]) => v);
  lines.push(
    `- \`${backend}\`: training ${x2(Math.min(...all))} to ${x2(Math.max(...[...r.byWorkload.values()].flatMap((v) => v.train)))} PyTorch; ` +
      (below.length ? `below 0.8x on ${below.join(', ')}` : 'at least 0.8x on every workload') +
      `; inference ${belowInfer.length ? `below 1.0x on ${belowInfer.join(', ')}` : 'at least 1.0x on every workload'}.`,
  );
}
// Compiled steps (issue 20): the compiled row beside its eager row and PyTorch, all from the same run, with the
// geometric mean over runs (ratios multiply, so their mean is geometric) and the range.
const geomean = (xs) => Math.exp(xs.reduce((a, v) => a + Math.log(v), 0) / xs.length);
const compiledRows = [];
for (const [name, byBackend] of rows) {
  const t = torch.get(name) ?? [];
  for (const [backend, list] of byBackend) {
    const pairs = list
      .map((w) => ({ w, c: w.compiled, torch: t.find((p) => p.runIndex === w.runIndex) }))
      .filter((p) => p.c && !p.c.fallback);
    if (pairs.length) compiledRows.push({ name, backend, pairs });
  }
}
if (compiledRows.length) {
  lines.push('');
  lines.push(
    '**Compiled steps** (`fit({ compile })`, `compileStep`): the step recorded once at the kernel level and replayed without the engine, measured right after the eager step in the same process. ' +
      'Ratios are per run; the bold column is their geometric mean over runs, with the range.',
  );
  lines.push('');
  lines.push(
    '| workload | backend | compiled train/s | compiled / eager | kernel calls/step (eager) | kernel ms + rest ms per step | arena KB | **compiled / PyTorch** |',
  );
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const { name, backend, pairs } of compiledRows) {
    const cs = pairs.map((p) => p.c);
    const vsTorch = pairs.filter((p) => p.torch).map((p) => p.c.trainSamplesPerSec / p.torch.trainSamplesPerSec);
    const eager = cs.map((c) => c.eagerRatio);
    const gm = (xs) => (xs.length ? `${x2(geomean(xs))} (${range(xs, x2)})` : '-');
    lines.push(
      `| ${name} | ${backend} | ${range(
        cs.map((c) => c.trainSamplesPerSec),
        int,
      )} | ${gm(eager)} | ${range(
        cs.map((c) => c.kernelCallsPerStep),
        String,
      )} (${range(
        cs.map((c) => c.eagerKernelCallsPerStep),
        String,
      )}) | ${range(
        cs.map((c) => c.kernelMsPerStep),
        (v) => v.toFixed(2),
      )} + ${range(
        cs.map((c) => c.engineMsPerStep),
        (v) => v.toFixed(2),
      )} | ${range(
        cs.map((c) => c.arenaBytes / 1024),
        (v) => v.toFixed(0),
      )} | ${gm(vsTorch)} |`,
    );
  }
  lines.push('');
  // issue 20's bars, computed: native compiled >= 1.5x PyTorch on every workload; compiled wasm >= 2x eager on bn-mlp and vae
  const native = compiledRows.filter((r) => r.backend === 'native' && r.pairs.some((p) => p.torch));
  if (native.length) {
    const gms = native.map((r) => [
      r.name,
      geomean(r.pairs.filter((p) => p.torch).map((p) => p.c.trainSamplesPerSec / p.torch.trainSamplesPerSec)),
    ]);
    const below = gms.filter(([, v]) => v < 1.5).map(([w, v]) => `${w} (${x2(v)})`);
    lines.push(
      `- \`native\` compiled: training ${x2(Math.min(...gms.map(([, v]) => v)))} to ${x2(Math.max(...gms.map(([, v]) => v)))} PyTorch (geometric means over runs); ` +
        (below.length ? `below 1.5x on ${below.join(', ')}.` : 'at least 1.5x on every workload.'),
    );
  }
  const wasm = compiledRows.filter((r) => r.backend === 'wasm' && (r.name === 'bn-mlp' || r.name === 'vae'));
  if (wasm.length) {
    const gms = wasm.map((r) => [r.name, geomean(r.pairs.map((p) => p.c.eagerRatio))]);
    const below = gms.filter(([, v]) => v < 2);
    // the most any replay of the same kernels could reach: the eager ratio over the kernels' share of the replay
    const ceilings = wasm.map((r) => [
      r.name,
      geomean(r.pairs.map((p) => (p.c.eagerRatio * (p.c.kernelMsPerStep + p.c.engineMsPerStep)) / p.c.kernelMsPerStep)),
    ]);
    const kernelBound = ceilings.filter(([w, v]) => v < 2 && below.some(([b]) => b === w)).map(([w]) => w);
    lines.push(
      `- \`wasm\` compiled against eager wasm: ${gms.map(([w, v]) => `${w} ${x2(v)}`).join(', ')}; ` +
        (below.length ? `below 2x on ${below.map(([w]) => w).join(', ')}.` : 'at least 2x on both.') +
        ` With no time outside the kernel functions at all, a replay would reach ${ceilings.map(([w, v]) => `${w} ${x2(v)}`).join(', ')} ` +
        `(kernel time from a profiled replay; a replay calls the eager step's kernels)` +
        (kernelBound.length
          ? `: on ${kernelBound.join(' and ')} the rest of the way to 2x needs faster or fused kernels, not a leaner replay.`
          : '.'),
    );
  }
  const fellBack = [...rows].flatMap(([name, b]) =>
    [...b].flatMap(([backend, list]) =>
      list.filter((w) => w.compiled?.fallback).map((w) => `${name} on ${backend}: ${w.compiled.fallback}`),
    ),
  );
  for (const f of new Set(fellBack)) lines.push(`- ran eagerly (no compiled row): ${f}`);
  lines.push('');
}
const block = lines.join('\n');
if (target) {
  const text = fs.readFileSync(target, 'utf8');
  const start = `<!-- ${blockName}:start -->`;
  const end = `<!-- ${blockName}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    console.error(`${target} has no ${start} ... ${end} block`);
    process.exit(1);
  }
  const generated = `${start}\n<!-- generated by apps/trainer/bench/readme.mjs from ${files.join(', ')} -->\n${block}\n`;
  fs.writeFileSync(target, text.slice(0, from) + generated + text.slice(to));
  console.log(`updated ${target}`);
} else {
  console.log(block);
}
