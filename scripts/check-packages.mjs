#!/usr/bin/env node
// Release gate for every published package: publint --strict and arethetypeswrong on the packed tarball.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dirs = fs
  .readdirSync(path.join(root, 'packages'))
  .map((d) => path.join(root, 'packages', d))
  .filter((d) => fs.existsSync(path.join(d, 'package.json')));
let passed = 0;
let failed = 0;
for (const dir of dirs) {
  const name = path.basename(dir);
  for (const [tool, args] of [
    ['publint', ['exec', 'publint', '--strict', dir]],
    ['attw', ['exec', 'attw', '--pack', dir, '--format', 'table-flipped']],
  ]) {
    const r = spawnSync('pnpm', args, { cwd: root, encoding: 'utf8' });
    if (r.status === 0) {
      passed++;
      console.log(`ok   ${tool} ${name}`);
    } else {
      failed++;
      console.log(`FAIL ${tool} ${name}\n${r.stdout}${r.stderr}`);
    }
  }
}
console.log(`check-packages: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
