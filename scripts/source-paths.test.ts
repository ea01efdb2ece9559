import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceAliases, sourceEntries, tsconfigProblem } from './source-paths.mjs';

/** A two-package workspace: `a` with a node subpath and a browser entry, `b` with only its main entry. */
function workspace(paths: Record<string, string[]>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'source-paths-'));
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write(
    'packages/a/package.json',
    JSON.stringify({ name: '@x/a', exports: { '.': {}, './node': {}, './package.json': './package.json' } }),
  );
  for (const f of ['index.ts', 'index.browser.ts', 'node/index.ts']) write(`packages/a/src/${f}`, '');
  write('packages/b/package.json', JSON.stringify({ name: '@x/b', exports: { '.': {} } }));
  write('packages/b/src/index.ts', '');
  write('tsconfig.json', JSON.stringify({ compilerOptions: { paths } }));
  return root;
}

describe('the one source mapping', () => {
  it("maps each package's exports onto src, subpaths first, the browser entry only when asked", () => {
    const root = workspace({});
    expect(sourceEntries({ root })).toEqual([
      { specifier: '@x/a/node', file: 'packages/a/src/node/index.ts' },
      { specifier: '@x/a', file: 'packages/a/src/index.ts' },
      { specifier: '@x/b', file: 'packages/b/src/index.ts' },
    ]);
    expect(sourceEntries({ root, browser: true })[1]).toEqual({ specifier: '@x/a', file: 'packages/a/src/index.browser.ts' });
    const alias = sourceAliases({ root });
    expect(alias[1]!.find.test('@x/a')).toBe(true);
    expect(alias[1]!.find.test('@x/a/node')).toBe(false); // exact: the main entry never swallows a subpath
    fs.rmSync(root, { recursive: true });
  });

  it('reports a tsconfig.json whose paths differ, and accepts the generated ones', () => {
    const stale = workspace({ '@x/*': ['packages/*/src/index.ts'] });
    expect(tsconfigProblem(stale)).toMatch(/node scripts\/source-paths.mjs --write/);
    const fresh = workspace({
      '@x/a/node': ['packages/a/src/node/index.ts'],
      '@x/a': ['packages/a/src/index.ts'],
      '@x/b': ['packages/b/src/index.ts'],
    });
    expect(tsconfigProblem(fresh)).toBeNull();
    expect(tsconfigProblem()).toBeNull(); // this repository's
    for (const root of [stale, fresh]) fs.rmSync(root, { recursive: true });
  });
});
