import { describe, expect, it } from 'vitest';
import { backArrowProblems, findCycles, resolveRelative, sourceImports } from './layout-rules.mjs';

const graph = (edges: Record<string, string[]>): Map<string, Set<string>> =>
  new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

describe('import cycles', () => {
  it('finds a two-file cycle, a three-file cycle and a self-import, each once', () => {
    const cycles = findCycles(
      graph({
        'a.ts': ['b.ts'],
        'b.ts': ['a.ts'],
        'c.ts': ['d.ts'],
        'd.ts': ['e.ts'],
        'e.ts': ['c.ts', 'a.ts'],
        'f.ts': ['f.ts'],
        'g.ts': ['a.ts'],
      }),
    );
    expect(cycles).toEqual([['a.ts', 'b.ts'], ['c.ts', 'd.ts', 'e.ts'], ['f.ts']]);
  });
  it('finds none in a diamond', () => {
    expect(findCycles(graph({ 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['d.ts'], 'c.ts': ['d.ts'], 'd.ts': [] }))).toEqual([]);
  });
  it('resolves relative specifiers as TypeScript does (extension, .js for .ts, folder index), type-only imports included', () => {
    const files = new Set(['p/src/a.ts', 'p/src/b/index.ts', 'p/src/c.ts']);
    const exists = (f: string): boolean => files.has(f);
    expect(resolveRelative('p/src/a.ts', './b', exists)).toBe('p/src/b/index.ts');
    expect(resolveRelative('p/src/b/index.ts', '../c.js', exists)).toBe('p/src/c.ts');
    expect(resolveRelative('p/src/a.ts', './missing', exists)).toBeNull();
    expect(resolveRelative('p/src/a.ts', '@x/y', exists)).toBeNull();
    expect(sourceImports("import type { A } from './a';\nconst s = `import { x } from '@logitlab/core';`;")).toEqual(['./a']);
  });
});

describe('back-arrows', () => {
  const pkg = { dir: 'packages/train', name: '@logitlab/train', subpathDirs: ['packages/train/src/node/'] };
  const problems = (from: string, spec: string, target: string | null, p: typeof pkg | null = pkg): string[] =>
    backArrowProblems({ from, spec, target, pkg: p });

  it("refuses a src file importing its own package's entry, by path or by name", () => {
    expect(problems('packages/train/src/wasm/util.ts', '../index', 'packages/train/src/index.ts')).toHaveLength(1);
    expect(problems('packages/train/src/fit.ts', '@logitlab/train', null)[0]).toMatch(/own package's entry/);
  });
  it('allows the same import in a test, and a subpath entry importing the main entry by name', () => {
    expect(problems('packages/train/src/fit.test.ts', './index', 'packages/train/src/index.ts')).toEqual([]);
    expect(problems('packages/train/src/node/file-storage.ts', '@logitlab/train', null)).toEqual([]);
    expect(problems('packages/train/src/fit.ts', './step', 'packages/train/src/step.ts')).toEqual([]);
  });
  it('refuses a root script importing a workspace package', () => {
    expect(problems('scripts/setup.ts', '@logitlab/backends', null, null)[0]).toMatch(/root script/);
    expect(problems('scripts/setup.ts', 'node:fs', null, null)).toEqual([]);
  });
  it("refuses the trainer reaching into experiments/ past its list, and the web's models importing training code", () => {
    const trainer = { dir: 'apps/trainer', name: '@logitlab/trainer', subpathDirs: [] };
    expect(problems('apps/trainer/src/data.ts', './experiments/common', 'apps/trainer/src/experiments/common.ts', trainer)).toHaveLength(1);
    expect(problems('apps/trainer/src/program.ts', './experiments/index', 'apps/trainer/src/experiments/index.ts', trainer)).toEqual([]);
    expect(problems('apps/trainer/src/experiments/heads.ts', './types', 'apps/trainer/src/experiments/types.ts', trainer)).toEqual([]);
    const web = { dir: 'apps/web', name: '@logitlab/web', subpathDirs: [] };
    expect(problems('apps/web/src/models/zoo.ts', '../train/client', 'apps/web/src/train/client.ts', web)[0]).toMatch(/training client/);
  });
});
