import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { packageExamples, readmeExamples } from './readme-examples.mjs';

const root = path.resolve(import.meta.dirname, '..');

describe('README examples', () => {
  it('takes js/mjs blocks, not ts, sh, fragments or browser snippets', () => {
    const md = [
      '# x',
      '```sh',
      'npm i x',
      '```',
      '```js',
      'console.log(1);',
      '```',
      '```ts',
      'type A = 1;',
      '```',
      '```js fragment',
      'fit(a);',
      '```',
      '```js browser',
      'x.onclick = 1;',
      '```',
      '```mjs',
      'console.log(2);',
      '```',
    ].join('\n');
    expect(readmeExamples(md)).toEqual([
      { line: 5, code: 'console.log(1);' },
      { line: 17, code: 'console.log(2);' },
    ]);
  });

  it('every published package README has a runnable example (new packages included by folder)', () => {
    const pkgs = fs.readdirSync(path.join(root, 'packages')).filter((d) => fs.existsSync(path.join(root, 'packages', d, 'package.json')));
    const withExample = new Set((packageExamples(root) as { pkg: string }[]).map((e) => e.pkg));
    expect(pkgs.filter((p) => !withExample.has(p))).toEqual([]);
  });

  it('examples are JavaScript modules, not TypeScript (they run as .mjs)', () => {
    for (const e of packageExamples(root) as { file: string; line: number; code: string }[]) {
      expect(e.code, `${e.file}:${e.line}`).not.toMatch(
        /^\s*(interface|type)\s+\w+|\bas\s+(const|unknown|[A-Z]\w*)\b|:\s*(number|string|boolean)\b[,)=]/m,
      );
      if (/\btf\./.test(e.code))
        expect(e.code, `${e.file}:${e.line} uses tf without importing it`).toMatch(/import \* as tf from '@tensorflow\/tfjs-core'/);
    }
  });
});
