// The layout half of `pnpm lint` (scripts/check-graph.mjs applies it): no import cycles between source
// files, type-only imports included, and none of the back-arrows listed below. Pure functions over
// file paths and source text, so scripts/layout-rules.test.ts can test the rules.
import path from 'node:path';
import { importsIn } from './graph-rules.mjs';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.mjs', '.js'];

/** The imports of a source text, ignoring template literals (a script may hold another program's source in one). */
export function sourceImports(text) {
  return importsIn(text.replace(/`(?:\\[\s\S]|[^`\\])*`/g, '``'));
}

/** The file a relative specifier names (`rel`: repo-relative importer; `exists`: does a repo-relative path exist), or null. */
export function resolveRelative(rel, spec, exists) {
  if (!spec.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
  const stem = base.replace(/\.(m?js)$/, '');
  const candidates = [base, ...EXTENSIONS.map((e) => stem + e), ...EXTENSIONS.map((e) => `${base}/index${e}`)];
  return candidates.find((c) => exists(c)) ?? null;
}

/**
 * Import cycles of a graph (Map: file -> files it imports) as lists of files, each cycle once
 * (Tarjan's strongly connected components; a file importing itself counts).
 */
export function findCycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? new Set()).has(v)) cycles.push(scc.toSorted());
    }
  };
  for (const v of [...graph.keys()].toSorted()) if (!index.has(v)) visit(v);
  return cycles;
}

const isTest = (rel) => /\.test\.[cm]?[jt]sx?$/.test(rel);

/**
 * Imports that point the wrong way, with why. `from`: repo-relative importer; `spec`: the specifier;
 * `target`: the repo-relative file it resolves to (null for a package); `pkg`: the importer's workspace
 * ({ dir, name, subpathDirs: the src/<sub>/ folders of its exported subpaths }) or null for root files.
 */
export const BACK_ARROWS = [
  {
    why: "a file under src/ imports its own package's entry (an internal cycle waiting to happen: import the module itself)",
    matches: ({ from, spec, target, pkg }) =>
      pkg !== null &&
      from.startsWith(`${pkg.dir}/src/`) &&
      !isTest(from) &&
      // a subpath entry (src/node/ for "./node") imports the main entry by name on purpose: its bundle keeps it external
      !(spec === pkg.name && (pkg.subpathDirs ?? []).some((d) => from.startsWith(d))) &&
      (spec === pkg.name ||
        spec.startsWith(`${pkg.name}/`) ||
        (target !== null && /^src\/index(\.browser)?\.ts$/.test(path.posix.relative(pkg.dir, target)))),
  },
  {
    why: 'a root script imports a workspace package (the root holds scripts only; a package owns what it needs, e.g. its test setup)',
    matches: ({ from, spec, pkg }) => pkg === null && from.startsWith('scripts/') && spec.startsWith('@logitlab/'),
  },
  {
    why: 'the trainer reaches into experiments/ (app-wide code lives beside it; only the experiment list, experiments/index.ts, is read from outside)',
    matches: ({ from, target }) =>
      from.startsWith('apps/trainer/src/') &&
      !from.startsWith('apps/trainer/src/experiments/') &&
      target !== null &&
      target.startsWith('apps/trainer/src/experiments/') &&
      target !== 'apps/trainer/src/experiments/index.ts',
  },
  {
    why: "the web's models import the training client (models/ is what the pages show; training runs in train/ and hands models over)",
    matches: ({ from, target }) => from.startsWith('apps/web/src/models/') && target !== null && target.startsWith('apps/web/src/train/'),
  },
];

/** Problems for one import (see BACK_ARROWS). */
export function backArrowProblems(edge) {
  return BACK_ARROWS.filter((b) => b.matches(edge)).map((b) => `${edge.from}: imports '${edge.spec}': ${b.why}`);
}
