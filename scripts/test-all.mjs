#!/usr/bin/env node
// The one test command (README, CI): formatting, lint, typecheck, build, unit + slow tests against src,
// then the built artefacts with plain node, package checks, browser e2e and a bench smoke run.
// Each step's output is streamed and scanned for its test counts, so the closing line adds up
// tests, not steps.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countsOf } from './test-counts.mjs';
import { stepEnv } from './test-env.mjs';

const vitestJson = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-test-')), 'vitest.json');
const steps = [
  ['format', 'pnpm', ['format:check']],
  ['lint', 'pnpm', ['lint']],
  ['typecheck', 'pnpm', ['typecheck']],
  ['build', 'pnpm', ['build']],
  ['vitest (src)', 'pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]],
];
for (const extra of [
  'scripts/test-dist.mjs',
  'scripts/check-packages.mjs',
  'scripts/pack-test.mjs',
  'apps/web/e2e/run.mjs',
  'apps/web/e2e/dev.mjs',
  'scripts/bench-smoke.mjs',
]) {
  if (fs.existsSync(extra)) steps.push([extra, 'node', [extra]]);
}

function runStep(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: stepEnv(process.env, process.stdout.isTTY === true) });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const total = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];
for (const [name, cmd, args] of steps) {
  const t0 = Date.now();
  console.log(`\n=== ${name}`);
  const { code, output } = await runStep(cmd, args);
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  const counts = countsOf(name, output, vitestJson);
  if (counts) for (const k of Object.keys(total)) total[k] += counts[k];
  // A step that fails without counting a failed test (lint, typecheck, build) counts as one failure.
  if (code !== 0) {
    failedSteps.push(name);
    if (!counts || counts.failed === 0) total.failed += 1;
  }
  const tally = counts ? `, ${counts.passed} passed, ${counts.failed} failed` : '';
  console.log(`=== ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} (${secs}s${tally})`);
}
if (failedSteps.length) console.log(`\nfailed steps: ${failedSteps.join(', ')}`);
console.log(`\ntests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(failedSteps.length ? 1 : 0);
