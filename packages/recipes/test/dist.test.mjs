// Plain-node test of the BUILT @logitlab/recipes (run `pnpm build` first): the README example (also
// test/readme-example.mjs, so the dependency check sees its imports), in a
// fresh process per format (ESM and CJS), must train a registry recipe through fit.
// Run with: node --test packages/recipes/test/dist.test.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const pkgDir = path.resolve(import.meta.dirname, '..');
const readme = fs.readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
const example = /```js\n([\s\S]*?)```/.exec(readme)[1];
const file = fs.readFileSync(path.join(pkgDir, 'test', 'readme-example.mjs'), 'utf8');

test('test/readme-example.mjs is the README example', () => {
  assert.equal(file.slice(file.indexOf('\n') + 1), example);
});

function toCjs(src) {
  const body = src.replace(/^import (.+) from '(.+)';$/gm, (_m, what, from) => {
    const name = what.startsWith('* as ') ? what.slice(5) : what.replace(/ as /g, ': ');
    return `const ${name} = require('${from}');`;
  });
  return `(async () => {\n${body}\n})().catch((e) => { console.error(e); process.exit(1); });`;
}

for (const format of ['esm', 'cjs']) {
  test(`${format} build: the README example trains a recipe through fit`, () => {
    const script = format === 'esm' ? example : toCjs(example);
    const out = execFileSync(process.execPath, [`--input-type=${format === 'esm' ? 'module' : 'commonjs'}`, '-e', script], {
      cwd: pkgDir,
      encoding: 'utf8',
    });
    const line = out.trim().split('\n').pop();
    assert.match(line, /^SGD lr 0\.01 momentum 0\.9, batch 64, 2 epochs, crossEntropy -> final loss \d/);
    assert.ok(Number.isFinite(Number(line.split(' ').pop())), line);
  });
}
