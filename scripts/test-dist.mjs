#!/usr/bin/env node
// Runs the plain-node tests of the BUILT packages (packages/*/test/*.test.{mjs,cjs}) with node's own
// test runner: no vitest, no bundler, so missing gradient registration or broken exports show up here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const files = [];
for (const base of ['packages', 'apps']) {
  for (const pkg of fs.readdirSync(path.join(root, base))) {
    const dir = path.join(root, base, pkg, 'test');
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) if (/\.test\.(mjs|cjs)$/.test(f)) files.push(path.join(dir, f));
  }
}
if (files.length === 0) {
  console.log('test-dist: no plain-node tests found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
