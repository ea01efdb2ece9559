// The rules of the package graph as pure functions over package.json objects and source text, so
// scripts/check-graph.mjs (the IO) stays small and scripts/graph-rules.test.ts can test the rules.

// Bottom to top. A package's runtime dependencies (dependencies, peerDependencies) may only point to
// the tiers in `uses`; its devDependencies (tests, scripts) to those in `devUses`: tests pick a backend
// and may build fixtures from their neighbours. Nothing depends on an app.
export const TIERS = {
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

/** apps/* are apps; any other package is a domain package unless named above. `ws` = { dir, name }. */
export const tierOf = (ws) => BY_NAME[ws.name] ?? (ws.dir.startsWith('apps/') ? 'app' : 'domain');

// A library may use a backend package's documented compat subpath (tfjs internals behind one tested
// module) without picking a backend: `<backend package>/compat` is the only import allowed then.
const COMPAT_SUBPATH = '/compat';

/**
 * Declarations that point against the graph. `workspaces`: package.json objects plus their `dir`;
 * `importsOf(ws)`: the module specifiers its source imports (to allow a backend's compat subpath).
 */
export function declarationProblems(workspaces, importsOf = () => []) {
  const tierByName = new Map(workspaces.map((ws) => [ws.name, tierOf(ws)]));
  const problems = [];
  for (const ws of workspaces) {
    const tier = tierOf(ws);
    const check = (section, allowed) => {
      for (const dep of Object.keys(ws[section] ?? {})) {
        const t = tierByName.get(dep);
        if (t === undefined || allowed.includes(t)) continue; // not a workspace package, or allowed
        if (t === 'backend' && tier !== 'base' && tier !== 'core' && onlyCompat(importsOf(ws), dep)) continue;
        problems.push(
          `${ws.dir}: ${section} has ${dep} (${t}), but a ${tier} package may only depend on ${allowed.join(', ') || 'no logitlab package'}` +
            ` [${tier}: ${TIERS[tier].about}]`,
        );
      }
    };
    check('dependencies', TIERS[tier].uses);
    check('peerDependencies', TIERS[tier].uses);
    check('devDependencies', TIERS[tier].devUses);
  }
  return problems;
}

function onlyCompat(imports, dep) {
  const uses = imports.filter((s) => s === dep || s.startsWith(`${dep}/`));
  return uses.length > 0 && uses.every((s) => s === `${dep}${COMPAT_SUBPATH}`);
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

/** Module specifiers a source text imports (static, dynamic and side-effect imports). */
export function importsIn(text) {
  return [...text.matchAll(IMPORT)].map((m) => m[1]);
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

/** Lines of `text` (a source file at `rel`) that read tfjs internals; comments may name them. */
export function internalsProblems(rel, text) {
  const problems = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(\/\/|\*)/.test(line)) return;
    for (const [re, what] of INTERNALS) {
      if (re.test(line)) problems.push(`${rel}:${i + 1}: reads ${what}; tfjs internals belong in @logitlab/backends`);
    }
  });
  return problems;
}
