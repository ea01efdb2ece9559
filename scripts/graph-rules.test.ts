import { describe, expect, it } from 'vitest';
import { declarationProblems, importsIn, internalsProblems, tierOf } from './graph-rules.mjs';

const ws = (dir: string, name: string, deps: Record<string, Record<string, string>> = {}) => ({ dir, name, ...deps });
const lib = (name: string, deps: Record<string, Record<string, string>> = {}) => ws(`packages/${name}`, `@logitlab/${name}`, deps);
const compatOnly = () => ['@logitlab/backends/compat', '@tensorflow/tfjs-core'];
const on = (...names: string[]) => Object.fromEntries(names.map((n) => [`@logitlab/${n}`, 'workspace:^']));

describe('package graph rules', () => {
  it('places packages by rule: named tiers, apps on top, any other package in the domain tier', () => {
    expect(tierOf(lib('core'))).toBe('core');
    expect(tierOf(lib('losses'))).toBe('base');
    expect(tierOf(lib('backends'))).toBe('backend');
    expect(tierOf(lib('explain'))).toBe('domain');
    expect(tierOf(lib('recipes'))).toBe('domain');
    expect(tierOf(ws('apps/web', '@logitlab/web'))).toBe('app');
  });

  it('accepts the intended graph', () => {
    const graph = [
      lib('core'),
      lib('backends', { dependencies: on('core') }),
      lib('layers', { dependencies: on('core'), devDependencies: on('backends') }),
      lib('losses', { dependencies: on('core'), devDependencies: on('layers', 'backends') }),
      lib('models', { dependencies: on('core', 'layers'), devDependencies: on('losses', 'backends') }),
      lib('explain', { dependencies: on('layers', 'models') }),
      ws('apps/web', '@logitlab/web', { dependencies: on('backends', 'models', 'explain') }),
    ];
    expect(declarationProblems(graph)).toEqual([]);
  });

  it('rejects imports against the graph, naming the package, the section and what is allowed', () => {
    const graph = [
      lib('core', { dependencies: on('layers') }),
      lib('layers', { dependencies: on('core', 'models') }),
      lib('losses', { dependencies: on('backends') }),
      lib('models', { peerDependencies: on('layers'), dependencies: on('backends') }),
      lib('backends', { dependencies: on('layers') }),
      lib('train', { dependencies: on('web') }),
      ws('apps/web', '@logitlab/web'),
    ];
    const problems = declarationProblems(graph);
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(
      /^packages\/core: dependencies has @logitlab\/layers \(base\), but a core package may only depend on no logitlab package/,
    );
    expect(problems.some((p) => p.startsWith('packages/losses: dependencies has @logitlab/backends (backend)'))).toBe(true);
    expect(problems.some((p) => p.startsWith('packages/train: dependencies has @logitlab/web (app)'))).toBe(true);
  });

  it("lets a library use a backend's compat subpath, and nothing else of it", () => {
    const graph = [lib('backends'), lib('train', { dependencies: on('backends') }), lib('layers', { dependencies: on('backends') })];
    const problems = declarationProblems(graph, compatOnly);
    expect(problems).toHaveLength(1); // layers (base) may not depend on backends at all
    expect(problems[0]).toMatch(/^packages\/layers: dependencies has @logitlab\/backends/);
    expect(declarationProblems(graph.slice(0, 2), () => ['@logitlab/backends/compat', '@logitlab/backends'])).toHaveLength(1);
    expect(importsIn("import { a } from '@x/y';\nimport '@x/side';\nconst m = await import('@x/lazy');\nexport { b } from './b';")).toEqual(
      ['@x/y', '@x/side', '@x/lazy', './b'],
    );
  });

  it('finds tfjs internals in code but not in comments', () => {
    const text = [
      '// tf.engine() is not API',
      'const d = tf.engine().state.gradientDepth;',
      'const a = (opt as unknown as { accBeta1: V }).accBeta1;',
    ].join('\n');
    const problems = internalsProblems('packages/x/src/a.ts', text);
    expect(problems.map((p) => p.split(':').slice(0, 2).join(':'))).toEqual([
      'packages/x/src/a.ts:2',
      'packages/x/src/a.ts:2',
      'packages/x/src/a.ts:3',
    ]);
    expect(internalsProblems('a.ts', 'tf.findBackendFactory("wasm")')).toEqual([]);
  });
});
