#!/usr/bin/env node
// @ts-check
// Runs the same e2e suite against `vite dev` (unbundled ESM, tfjs-core's own module files), where
// gradient registration and the wasm paths take another route than in the production build.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// NO_COLOR keeps the address vite prints free of colour codes
const vite = spawn('pnpm', ['exec', 'vite', '--host', '127.0.0.1', '--port', '5199'], {
  cwd: app,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, NO_COLOR: '1' },
});

const url = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`vite dev did not start within 60 s:\n${out}`)), 60_000);
  vite.stdout.on('data', (d) => {
    out += d;
    const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  vite.on('exit', (code) => reject(new Error(`vite dev exited with ${code}:\n${out}`)));
});

// Test-name filters pass through, as for run.mjs.
console.log(`e2e against vite dev at ${url}`);
const suite = spawn(process.execPath, [path.join(app, 'e2e', 'run.mjs'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, E2E_BASE_URL: url },
});
const code = await new Promise((resolve) => suite.on('exit', resolve));
vite.kill();
process.exit(code ?? 1);
