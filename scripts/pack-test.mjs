#!/usr/bin/env node
// Packs every published package, installs the tarballs into a fresh project OUTSIDE the workspace
// with plain npm, and trains a tiny model there with plain node, once as ESM and once as CJS.
// Catches missing files, wrong `exports`, missing gradient registration and wrong peer dependencies.
// Then runs every package README's example blocks there, as written (README code blocks are tests).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageExamples } from './readme-examples.mjs';

const root = path.resolve(import.meta.dirname, '..');
const packages = fs.readdirSync(path.join(root, 'packages')).filter((d) => fs.existsSync(path.join(root, 'packages', d, 'package.json')));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'logitlab-pack-'));
const tarballs = path.join(work, 'tarballs');
fs.mkdirSync(tarballs);

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

for (const name of packages) {
  run('pnpm', ['pack', '--pack-destination', tarballs], path.join(root, 'packages', name));
}
const files = fs.readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
console.log(`packed ${files.length} packages: ${files.join(', ')}`);

const app = path.join(work, 'app');
fs.mkdirSync(app);
fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'pack-test-app', private: true, version: '0.0.0' }, null, 2));
run(
  'npm',
  [
    'install',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...files.map((f) => path.join(tarballs, f)),
    '@tensorflow/tfjs-core@4.22.0',
    '@tensorflow/tfjs-backend-cpu@4.22.0',
    '@tensorflow/tfjs-backend-wasm@4.22.0',
  ],
  app,
);

const body = (imp) => `
${imp}
await useBackend('cpu');
manualSeed(0);
const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
const x = tf.randomNormal([16, 4], 0, 1, 'float32', 1);
const y = tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3), 'int32');
const opt = tf.train.sgd(0.5);
const losses = [];
for (let i = 0; i < 3; i++) {
  const l = opt.minimize(() => crossEntropy(model.forward(x), y), true, model.parameters());
  losses.push(l.dataSync()[0]);
  l.dispose();
}
if (!(losses[2] < losses[0])) { console.error('loss did not fall', losses); process.exit(1); }
console.log('trained 3 steps, loss', losses.map((v) => v.toFixed(4)).join(' -> '));
`;
fs.writeFileSync(
  path.join(app, 'esm.mjs'),
  body(`import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@logitlab/backends';
import { Sequential, Linear, ReLU, manualSeed } from '@logitlab/layers';
import { crossEntropy } from '@logitlab/losses';
import '@logitlab/datasets'; import '@logitlab/metrics'; import '@logitlab/models'; import '@logitlab/recipes'; import '@logitlab/train'; import '@logitlab/explain';`),
);
// CJS has no top-level await: wrap the same body.
fs.writeFileSync(
  path.join(app, 'cjs.cjs'),
  `const tf = require('@tensorflow/tfjs-core');
const { useBackend } = require('@logitlab/backends');
const { Sequential, Linear, ReLU, manualSeed } = require('@logitlab/layers');
const { crossEntropy } = require('@logitlab/losses');
require('@logitlab/datasets'); require('@logitlab/metrics'); require('@logitlab/models'); require('@logitlab/recipes'); require('@logitlab/train'); require('@logitlab/explain');
(async () => {${body('')}})().catch((e) => { console.error(e); process.exit(1); });
`,
);

// Every package README's runnable examples, as written, each in its own file (see readme-examples.mjs).
const examples = packageExamples(root).map((e, i) => {
  const file = `readme-${e.pkg}-${i}.mjs`;
  fs.writeFileSync(path.join(app, file), `${e.code}\n`);
  return { file, label: `${e.file}:${e.line}` };
});

const checks = [{ file: 'esm.mjs', label: 'esm.mjs' }, { file: 'cjs.cjs', label: 'cjs.cjs' }, ...examples];
let failed = 0;
for (const { file, label } of checks) {
  try {
    const out = execFileSync('node', [file], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 300_000 });
    console.log(`ok   ${label}: ${out.trim().split('\n').pop() ?? ''}`);
  } catch (err) {
    failed++;
    console.log(
      `FAIL ${label}\n${String(err.stderr ?? err.message)
        .trim()
        .split('\n')
        .slice(0, 8)
        .join('\n')}`,
    );
  }
}
fs.rmSync(work, { recursive: true, force: true });
console.log(`pack-test: ${checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
