#!/usr/bin/env node
// The package graph, enforced (part of `pnpm lint`). Three checks:
// 1. knip (plain and --production, config in knip.jsonc): every import is declared by the workspace that
//    makes it, every declared dependency is imported, and a runtime dependency is used by runtime code.
// 2. Which package may declare which: with (1) the declarations ARE the import graph, so checking them
//    checks every import. Tiers below; every workspace is placed by rule, so new packages are covered.
// 3. tfjs internals (engine(), ENGINE, the engine's and optimizers' private fields) only in backend-tier
//    packages, the one place a tfjs upgrade may break them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

// Bottom to top. A package's runtime dependencies (dependencies, peerDependencies) may only point to
// the tiers in `uses`; its devDependencies (tests, scripts) to those in `devUses`: tests pick a backend
// and may build fixtures from their neighbours. Nothing depends on an app.
const TIERS = {
  core: { uses: [], devUses: ['backend'], about: 'the shared bottom (errors, pitfall warnings, RNG, alongAxis, atomic writes)' },
  base: { uses: ['core'], devUses: ['core', 'base', 'backend'], about: 'datasets, layers, losses, metrics: the rooms over core' },
  backend: { uses: ['core', 'backend'], devUses: ['core', 'backend'], about: 'tfjs backends and kernels; chosen only by apps and tests' },
  domain: {
    uses: ['core', 'base', 'domain'],
    devUses: ['core', 'base', 'domain', 'backend'],
    about: 'models, train, explain...: built on the base',
  },
  app: { uses: ['core', 'base', 'backend', 'domain'], devUses: ['core', 'base', 'backend', 'domain'], about: 'apps/*: private, on top' },
};
const BY_NAME = {
  '@logitlab/core': 'core',
  '@logitlab/datasets': 'base',
  '@logitlab/layers': 'base',
  '@logitlab/losses': 'base',
  '@logitlab/metrics': 'base',
  '@logitlab/backends': 'backend',
  '@logitlab/native': 'backend',
};
// apps/* are apps; any other package is a domain package unless named above
const tierOf = (ws) => BY_NAME[ws.name] ?? (ws.dir.startsWith('apps/') ? 'app' : 'domain');

function workspaces() {
  const out = [];
  for (const base of ['packages', 'apps']) {
    for (const d of fs.readdirSync(path.join(root, base))) {
      const file = path.join(root, base, d, 'package.json');
      if (fs.existsSync(file)) out.push({ dir: `${base}/${d}`, ...JSON.parse(fs.readFileSync(file, 'utf8')) });
    }
  }
  return out;
}

const problems = [];
const all = workspaces();
const tierByName = new Map(all.map((ws) => [ws.name, tierOf(ws)]));

for (const ws of all) {
  const tier = tierOf(ws);
  const check = (section, allowed) => {
    for (const dep of Object.keys(ws[section] ?? {})) {
      const t = tierByName.get(dep);
      if (t === undefined) continue; // not a workspace package
      if (!allowed.includes(t)) {
        problems.push(
          `${ws.dir}: ${section} has ${dep} (${t}), but a ${tier} package may only depend on ${allowed.join(', ') || 'no logitlab package'}` +
            ` [${tier}: ${TIERS[tier].about}]`,
        );
      }
    }
  };
  check('dependencies', TIERS[tier].uses);
  check('peerDependencies', TIERS[tier].uses);
  check('devDependencies', TIERS[tier].devUses);
}

// tfjs-core's engine and the private members of its classes are not API; only backend-tier packages
// (tested against the pinned tfjs version) may read them.
const INTERNALS = [
  [/\bengine\(\)/, 'engine() (the tfjs engine is not API)'],
  [/\bENGINE\b/, 'ENGINE (the tfjs engine is not API)'],
  [/\bregistryFactory\b/, 'the engine registry (use tf.findBackendFactory)'],
  [/\bgradientDepth\b/, "the engine's gradient-tape state"],
  [
    /\baccBeta[12]\b|\baccumulated(First|Second)Moment\b|\baccumulatedGrads\b|\baccumulatedMeanSquares\b/,
    "an optimizer's private state (use getWeights/setWeights)",
  ],
];
// Known uses waiting for their fix, each with who removes it; an entry that no longer matches fails too.
const PENDING = [
  {
    file: 'packages/train/src/optimizer-state.ts',
    reason: "Adam's accBeta1/2: issue #13 item 3 (fitrec) restores optimizer state without them",
  },
];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (SOURCE.test(e.name)) yield p;
  }
}
const pendingHit = new Set();
for (const ws of all) {
  if (tierOf(ws) === 'backend') continue;
  for (const file of files(path.join(root, ws.dir))) {
    const rel = path.relative(root, file);
    const pending = PENDING.find((p) => p.file === rel);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return; // comments may name them
      for (const [re, what] of INTERNALS) {
        if (!re.test(line)) continue;
        if (pending) pendingHit.add(pending);
        else problems.push(`${rel}:${i + 1}: reads ${what}; tfjs internals belong in @logitlab/backends`);
      }
    });
  }
}
for (const p of PENDING) {
  if (!pendingHit.has(p)) problems.push(`scripts/check-graph.mjs: PENDING entry for ${p.file} no longer matches anything; remove it`);
  else console.log(`check-graph: pending, allowed for now: ${p.file} (${p.reason})`);
}

for (const args of [[], ['--production']]) {
  const r = spawnSync('pnpm', ['exec', 'knip', '--no-config-hints', '--no-progress', ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) problems.push(`knip ${args.join(' ')}`.trim() + ` (knip.jsonc):\n${r.stdout}${r.stderr}`.trimEnd());
}

if (problems.length) {
  console.error(`check-graph: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-graph: ${all.length} workspaces, graph and declarations ok`);
