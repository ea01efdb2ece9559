#!/usr/bin/env node
// The package graph, enforced (part of `pnpm lint`). Three checks:
// 1. knip (plain and --production, config in knip.jsonc): every import is declared by the workspace that
//    makes it, every declared dependency is imported, and a runtime dependency is used by runtime code.
// 2. Which package may declare which (scripts/graph-rules.mjs): with (1) the declarations ARE the import
//    graph, so checking them checks every import. Every workspace gets a tier by rule, so new packages
//    are covered.
// 3. tfjs internals (engine(), ENGINE, the engine's and optimizers' private fields) only in backend-tier
//    packages, the one place a tfjs upgrade may break them.
// 4. The layout (scripts/layout-rules.mjs): no import cycles between source files (type-only imports
//    count), and none of the listed back-arrows; tsconfig.json's "paths" are the one source mapping's
//    (scripts/source-paths.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { declarationProblems, importsIn, internalsProblems, tierOf } from './graph-rules.mjs';
import { backArrowProblems, findCycles, resolveRelative, sourceImports } from './layout-rules.mjs';
import { tsconfigProblem } from './source-paths.mjs';

const root = path.resolve(import.meta.dirname, '..');

// Known uses waiting for their fix, each with who removes it; an entry that no longer matches fails too.
const PENDING = [];

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

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (SOURCE.test(e.name)) yield p;
  }
}

const all = workspaces();
const sources = (ws) => [...files(path.join(root, ws.dir, 'src'))].filter((f) => !/\.test\.[cm]?[jt]s$/.test(f));
const problems = declarationProblems(all, (ws) => sources(ws).flatMap((f) => importsIn(fs.readFileSync(f, 'utf8'))));

const pendingHit = new Set();
for (const ws of all) {
  if (tierOf(ws) === 'backend') continue;
  for (const file of files(path.join(root, ws.dir))) {
    const rel = path.relative(root, file);
    const found = internalsProblems(rel, fs.readFileSync(file, 'utf8'));
    const pending = PENDING.find((p) => p.file === rel);
    if (pending && found.length) pendingHit.add(pending);
    else problems.push(...found);
  }
}
for (const p of PENDING) {
  if (!pendingHit.has(p)) problems.push(`scripts/check-graph.mjs: PENDING entry for ${p.file} no longer matches anything; remove it`);
  else console.log(`check-graph: pending, allowed for now: ${p.file} (${p.reason})`);
}

// the layout: every source file of the workspaces and the root scripts, as a graph of relative imports
const layoutFiles = [
  ...files(path.join(root, 'scripts')),
  ...all.flatMap((ws) =>
    [path.join(root, ws.dir, 'src'), path.join(root, ws.dir, 'test')].filter(fs.existsSync).flatMap((d) => [...files(d)]),
  ),
].map((f) => path.relative(root, f).split(path.sep).join('/'));
const known = new Set(layoutFiles);
const subpathDirs = (ws) =>
  Object.keys(ws.exports ?? {})
    .filter((k) => k.startsWith('./') && k !== './package.json')
    .map((k) => `${ws.dir}/src/${k.slice(2)}/`);
const graph = new Map();
for (const from of layoutFiles) {
  const pkg = all.find((ws) => from.startsWith(`${ws.dir}/`)) ?? null;
  const targets = new Set();
  for (const spec of sourceImports(fs.readFileSync(path.join(root, from), 'utf8'))) {
    const target = resolveRelative(from, spec, (rel) => known.has(rel));
    if (target) targets.add(target);
    problems.push(
      ...backArrowProblems({ from, spec, target, pkg: pkg && { dir: pkg.dir, name: pkg.name, subpathDirs: subpathDirs(pkg) } }),
    );
  }
  graph.set(from, targets);
}
const stale = tsconfigProblem();
if (stale) problems.push(stale);
for (const cycle of findCycles(graph)) problems.push(`import cycle (type-only imports count): ${cycle.join(' <-> ')}`);

for (const args of [[], ['--production']]) {
  const r = spawnSync('pnpm', ['exec', 'knip', '--no-config-hints', '--no-progress', ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) problems.push(`knip ${args.join(' ')}`.trim() + ` (knip.jsonc):\n${r.stdout}${r.stderr}`.trimEnd());
}

if (problems.length) {
  console.error(`check-graph: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `check-graph: ${all.length} workspaces, graph and declarations ok; ${layoutFiles.length} source files, no import cycles or back-arrows`,
);
