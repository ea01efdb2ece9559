#!/usr/bin/env node
// The one test command (README, CI): lint, typecheck, build, unit + slow tests against src,
// then the built artefacts with plain node, package checks, browser e2e and a bench smoke run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const steps = [
  ['lint', 'pnpm', ['lint']],
  ['typecheck', 'pnpm', ['typecheck']],
  ['build', 'pnpm', ['build']],
  ['vitest (src)', 'pnpm', ['exec', 'vitest', 'run']],
];
for (const extra of ['scripts/test-dist.mjs', 'scripts/check-packages.mjs', 'scripts/pack-test.mjs', 'apps/web/e2e/run.mjs', 'scripts/bench-smoke.mjs']) {
  if (fs.existsSync(extra)) steps.push([extra, 'node', [extra]]);
}

let passed = 0;
let failed = 0;
for (const [name, cmd, args] of steps) {
  const t0 = Date.now();
  console.log(`\n=== ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  if (r.status === 0) {
    passed++;
    console.log(`=== ${name}: ok (${secs}s)`);
  } else {
    failed++;
    console.log(`=== ${name}: FAILED (exit ${r.status}, ${secs}s)`);
  }
}
console.log(`\nsteps: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
